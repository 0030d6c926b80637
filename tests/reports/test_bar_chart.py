"""The bar chart of the statistics page: HTML rows whose labels are page text (legible at any width), bar widths
proportional to the values, everything escaped."""

from laborcoop.reports.charts import bar_chart


def test_bars_are_proportional_and_labels_are_text() -> None:
    chart = bar_chart([("泸溪县", 200, 50), ("凤凰县", 100, 100)], series=("劳动力", "已就业"))
    assert not chart.empty
    assert chart.html.count('class="bar-row"') == 2
    assert '<span class="bar-label">泸溪县</span>' in chart.html
    assert 'width="100.00" height="10" class="bar"' in chart.html  # the peak fills its row
    assert 'width="25.00" height="4" class="bar2"' in chart.html  # 50 of the peak 200
    assert 'width="50.00" height="10" class="bar"' in chart.html
    assert "200／50" in chart.html
    assert "<text" not in chart.html


def test_labels_are_escaped_and_no_rows_is_empty() -> None:
    chart = bar_chart([("<b>村</b>", 3, 9)], series=("a", "b"))
    assert "&lt;b&gt;村&lt;/b&gt;" in chart.html
    assert "<b>" not in chart.html
    assert 'width="100.00" height="4"' in chart.html  # a part is never drawn longer than its whole
    assert bar_chart([], series=("a", "b")).empty
