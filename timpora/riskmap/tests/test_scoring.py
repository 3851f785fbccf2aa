"""Score arithmetic and its explanation (plain Python)."""

from timpora.riskmap.scoring import risk_score

WEIGHTS = {
    "factors": {"cap": 40},
    "overstays": {"per": 3, "cap": 20},
    "serious_alerts": {"per": 4, "cap": 20},
    "other_alerts": {"per": 1, "cap": 10},
    "tips": {"per": 2, "cap": 10},
    "late_reports": {"per": 1, "cap": 5},
    "violations": {"per": 3, "cap": 15},
}


def test_points_add_up_per_component():
    score = risk_score(
        {"alerts_by_rule": {"overstay": 4, "activity_mismatch": 1, "expiring": 3}, "tips": 2},
        [("coastline", "Coastline", 15)],
        WEIGHTS,
    )
    parts = {c.key: (c.points, c.count) for c in score.components}
    assert parts == {
        "factor:coastline": (15, None),
        "overstays": (12, 4),
        "serious_alerts": (4, 1),
        "other_alerts": (3, 3),
        "tips": (4, 2),
    }
    assert score.value == 15 + 12 + 4 + 3 + 4
    assert [c.key for c in score.components][:2] == ["factor:coastline", "overstays"]


def test_each_component_and_the_total_are_capped():
    score = risk_score(
        {
            "alerts_by_rule": {"overstay": 100, "no_permit": 100, "expiring": 100},
            "tips": 100,
            "late_reports": 100,
            "violations": 100,
        },
        [("coastline", "Coastline", 30), ("port", "Port", 30)],
        WEIGHTS,
    )
    parts = {c.key: c.points for c in score.components}
    assert parts["factor:coastline"] + parts["factor:port"] == 40
    assert parts["overstays"] == 20 and parts["serious_alerts"] == 20
    assert score.value == 100


def test_an_area_without_anything_scores_zero():
    score = risk_score({}, [], WEIGHTS)
    assert score.value == 0 and score.components == []
