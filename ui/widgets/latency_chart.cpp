#include "widgets/latency_chart.hpp"

#include "models/latency_axis.hpp"

#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <algorithm>

namespace framebridge::ui {

// The chart goes in through the constructor: setChart() would leave the view's default one
// behind, ownerless.
LatencyChart::LatencyChart(QWidget* parent)
    : QChartView(new QChart, parent), time_axis_(new QValueAxis), latency_axis_(new QValueAxis) {
    QChart* chart = this->chart();
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->setMargins(QMargins(4, 4, 4, 4));
    time_axis_->setTitleText(tr("seconds ago"));
    time_axis_->setLabelFormat("%.0f");
    latency_axis_->setTitleText(tr("ms"));
    latency_axis_->setRange(0, LatencyAxis{}.top_ms);
    latency_axis_->setTickType(QValueAxis::TicksDynamic);
    latency_axis_->setLabelFormat("%g");
    chart->addAxis(time_axis_, Qt::AlignBottom);
    chart->addAxis(latency_axis_, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
}

LatencyChart::Lines& LatencyChart::lines_of(const LatencySeries& series) {
    auto found = lines_.find(series.key());
    if (found != lines_.end()) {
        return *found;
    }
    Lines lines{new QLineSeries, new QLineSeries};
    lines.p50->setName(series.label);
    for (QLineSeries* line : {lines.p50, lines.p99}) {
        chart()->addSeries(line);
        line->attachAxis(time_axis_);
        line->attachAxis(latency_axis_);
    }
    QPen dashed = lines.p50->pen();
    dashed.setStyle(Qt::DashLine);
    lines.p99->setPen(dashed);
    // One legend entry per client: the dashed line is the same client.
    chart()->legend()->markers(lines.p99).first()->setVisible(false);
    return *lines_.insert(series.key(), lines);
}

void LatencyChart::show_history(const LatencyHistory& history, double now_s) {
    chart()->setTitle(history.measure() == LatencyMeasure::Ready
                          ? tr("Publish → ready latency per client, last 60 s (p50 solid, "
                               "p99 dashed)")
                          : tr("Capture → result latency per client sending results, last 60 s "
                               "(p50 solid, p99 dashed)"));
    QList<std::uint64_t> shown;
    for (const LatencySeries& series : history.series()) {
        QList<QPointF> p50;
        QList<QPointF> p99;
        for (const LatencyPoint& point : series.points) {
            p50.append({point.at_s - now_s, point.p50_ms});
            p99.append({point.at_s - now_s, point.p99_ms});
        }
        Lines& lines = lines_of(series);
        lines.p50->replace(p50);
        lines.p99->replace(p99);
        shown.append(series.key());
    }
    for (auto it = lines_.begin(); it != lines_.end();) {
        if (shown.contains(it.key())) {
            ++it;
            continue;
        }
        chart()->removeSeries(it->p50);
        chart()->removeSeries(it->p99);
        delete it->p50;
        delete it->p99;
        it = lines_.erase(it);
    }
    time_axis_->setRange(-history.span_s(), 0);
    const LatencyAxis axis = latency_axis(history);
    latency_axis_->setRange(0, axis.top_ms);
    latency_axis_->setTickAnchor(0);
    latency_axis_->setTickInterval(axis.step_ms);
}

}  // namespace framebridge::ui
