"""Reporting: publication figures, Sankey diagrams, tables and the report folder.

Every figure function takes a ``Results`` (or a mapping of result tables), accepts ``ax=None``
(or ``axes=None``), returns a matplotlib ``Figure`` and never shows or saves it. The one
exception is :func:`plotly_sankey`, which returns a plotly figure for notebooks and HTML.

Examples
--------
>>> from mfa.report import plot_sankey, write_report
>>> fig = plot_sankey(results, "Li", 2040, scope=["CA", "KR"])      # doctest: +SKIP
>>> write_report(results, "out/report")                              # doctest: +SKIP

The house colours (one map each for region, stage, scenario and element) are
``mfa.report.COLOUR_MAPS`` and ``mfa.report.colour(kind, key)``.
"""

from mfa.report.calibration import calibration_panels, plot_calibration
from mfa.report.certified import (
    audited_capacity_share,
    certified_supply_share,
    plot_certified_sourcing,
)
from mfa.report.compare import (
    compare_differences,
    compare_table,
    fan_bands,
    plot_fan_chart,
    plot_frontier,
    plot_scenario_comparison,
    plot_scenario_differences,
    plot_scenario_paths,
    reference_scenario,
)
from mfa.report.element import (
    element_content,
    get_meta,
    get_tables,
    process_stages,
    to_element,
)
from mfa.report.folder import (
    FigureJob,
    default_selection,
    elements_with_flows,
    report_figures,
    save_figure,
    write_comparison,
    write_report,
)
from mfa.report.footprints import (
    footprint_by_stage,
    footprint_intensity,
    footprint_per_unit,
    plot_emissions_over_time,
    plot_footprint_intensity,
    plot_footprint_overview,
    plot_footprint_per_unit,
    plot_footprints,
)
from mfa.report.page import report_page
from mfa.report.sankey import (
    plot_sankey,
    plotly_sankey,
    sankey_html,
    sankey_links,
    scope_label,
    scope_tag,
)
from mfa.report.structure import (
    plot_concentration,
    plot_stocks_and_outflows,
    production_concentration,
)
from mfa.report.style import (
    COLOUR_MAPS,
    colour,
    element_colour,
    figsize,
    house_style,
    region_colour,
    scale_unit,
    unit_label,
)
from mfa.report.tables import (
    discounted_cost,
    export_csv,
    findings,
    headline_summary,
    summary_markdown,
    write_workbook,
)
from mfa.report.timeseries import (
    binding_duals,
    plot_indicators,
    plot_key_prices,
    plot_prices,
    plot_shadow_prices,
    plot_supply_grid,
    plot_supply_mix,
    supply_mix,
)
from mfa.report.trade import (
    plot_trade_arcs,
    plot_trade_matrices,
    plot_trade_matrix,
    trade_matrix,
)

__all__ = [
    "COLOUR_MAPS",
    "FigureJob",
    "audited_capacity_share",
    "binding_duals",
    "calibration_panels",
    "certified_supply_share",
    "colour",
    "compare_differences",
    "compare_table",
    "default_selection",
    "discounted_cost",
    "element_colour",
    "element_content",
    "elements_with_flows",
    "export_csv",
    "fan_bands",
    "figsize",
    "findings",
    "footprint_by_stage",
    "footprint_intensity",
    "footprint_per_unit",
    "get_meta",
    "get_tables",
    "headline_summary",
    "house_style",
    "plot_calibration",
    "plot_certified_sourcing",
    "plot_concentration",
    "plot_emissions_over_time",
    "plot_fan_chart",
    "plot_footprint_intensity",
    "plot_footprint_overview",
    "plot_footprint_per_unit",
    "plot_footprints",
    "plot_frontier",
    "plot_indicators",
    "plot_key_prices",
    "plot_prices",
    "plot_sankey",
    "plot_scenario_comparison",
    "plot_scenario_differences",
    "plot_scenario_paths",
    "plot_shadow_prices",
    "plot_stocks_and_outflows",
    "plot_supply_grid",
    "plot_supply_mix",
    "plot_trade_arcs",
    "plot_trade_matrices",
    "plot_trade_matrix",
    "plotly_sankey",
    "process_stages",
    "production_concentration",
    "reference_scenario",
    "region_colour",
    "report_figures",
    "report_page",
    "sankey_html",
    "sankey_links",
    "save_figure",
    "scale_unit",
    "scope_label",
    "scope_tag",
    "summary_markdown",
    "supply_mix",
    "to_element",
    "trade_matrix",
    "unit_label",
    "write_comparison",
    "write_report",
    "write_workbook",
]
