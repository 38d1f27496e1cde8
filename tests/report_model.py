"""A small solved model for the report tests (tests only).

Canada mines and refines lithium; Korea makes pCAM from Canadian lithium, CAM from pCAM and
recycled lithium, and cells from CAM (a fifth of the CAM becomes scrap); cells live two
years; spent cells (90 % collected) and scrap are recycled in Korea. Demand for cells in Korea:
10, 10, 14, 16 t Li in 2025-2028.

The year 2028, solved by hand (t Li)::

    use:        16 cells in; 10 retire (the 2026 cohort); 6 added to the in-use stock
    end of life: 10 arise, 9 collected and recycled, 1 landfilled
    cells:      16 cells need 20 t CAM and leave 4 t scrap (recycled)
    recycling:  13 t in, 10.4 t recycled Li out, 2.6 t lost
    CAM:        20 t = 10.4 t recycled Li + 9.6 t pCAM (a flow within the materials stage)
    pCAM:       9.6 t of lithium shipped from Canada
    Canada:     12 t mined, refined to 9.6 t (2.4 t lost)

Supply of Li to Korea in 2028 is 9.6 t imported + 10.4 t recycled = 20 t: import dependency
0.48, secondary supply share 0.52.
"""

from __future__ import annotations

from pathlib import Path

import mfa
from tests.modelkit import write_model

YEAR = 2028
"""The year solved by hand above."""


def write_report_model(folder: Path) -> Path:
    """Write the model (``folder/model.yaml`` and its data) and return the model file."""
    return write_model(
        folder,
        {
            "regions": ["CA,Canada", "KR,South Korea"],
            "commodities": [
                "ore,Li,mining,t,true,false,1,,",
                "li,Li,refining,t,true,false,1,,",
                "pcam,Li,material,t,true,false,1,,",
                "cam,Li,material,t,true,false,1,,",
                "cell,Li,product,t,false,false,1,,cell.eol",
                "cell.eol,Li,eol,t,false,false,1,,",
                "scrap,Li,eol,t,false,false,1,,",
                "li2,Li,secondary,t,true,true,1,,",
            ],
            "processes": [
                "mine,mining,t,Mining",
                "refine,refining,t,Refining",
                "make_pcam,manufacturing,t,pCAM",
                "make_cam,manufacturing,t,CAM",
                "make_cell,manufacturing,t,Cells",
                "recycle,recycling,t,Recycling",
            ],
            "process_io": [
                "mine,ore,out,,1,t/t",
                "refine,ore,in,,1.25,t/t",
                "refine,li,out,,1,t/t",
                "make_pcam,li,in,,1,t/t",
                "make_pcam,pcam,out,,1,t/t",
                "make_cam,pcam,in,lithium,1,t/t",
                "make_cam,li2,in,lithium,1,t/t",
                "make_cam,cam,out,,1,t/t",
                "make_cell,cam,in,,1.25,t/t",
                "make_cell,cell,out,,1,t/t",
                "make_cell,scrap,out,,0.25,t/t",
                "recycle,cell.eol,in,feed,1,t/t",
                "recycle,scrap,in,feed,1,t/t",
                "recycle,li2,out,,0.8,t/t",
            ],
            "capacity": [
                "mine,CA,2025,m,1000,t",
                "refine,CA,2025,r,1000,t",
                "make_pcam,KR,2025,p,1000,t",
                "make_cam,KR,2025,c,1000,t",
                "make_cell,KR,2025,k,1000,t",
                "recycle,KR,2025,y,1000,t",
            ],
            "variable_cost": [
                "mine,CA,2025,10,USD/t",
                "refine,CA,2025,20,USD/t",
                "recycle,KR,2025,1,USD/t",
            ],
            "trade_routes": ["CA,KR,10000,sea"],
            "trade_cost": ["li,CA,KR,5,USD/t"],
            "demand": [
                "KR,cell,2025,10,t",
                "KR,cell,2026,10,t",
                "KR,cell,2027,14,t",
                "KR,cell,2028,16,t",
            ],
            "lifetimes": ["cell,KR,fixed,2,,"],
            "collection_rate": ["KR,cell.eol,2025,0.9,dimensionless"],
        },
        years=(2025, 2028),
        extra_yaml="scenarios:\n  reference: []\n",
        name="report_test",
    )


def solve_report_model(folder: Path) -> mfa.Results:
    """Write and solve the model (reference scenario)."""
    return mfa.run(write_report_model(folder), scenario="reference")
