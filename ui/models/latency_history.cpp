#include "models/latency_history.hpp"

#include <algorithm>

namespace framebridge::ui {

namespace {

double to_ms(std::uint64_t ns) {
    return static_cast<double>(ns) / 1e6;
}

}  // namespace

void LatencyHistory::add(double now_s, const std::vector<app::ClientStats>& clients) {
    for (const app::ClientStats& client : clients) {
        const app::LatencySummary& summary =
            measure_ == LatencyMeasure::Ready ? client.ready : client.to_result;
        if (summary.count > 0) {
            series_of(client).points.push_back(
                {now_s, to_ms(summary.p50_ns), to_ms(summary.p99_ns)});
        }
    }
    const double oldest_s = now_s - span_s_;
    for (LatencySeries& series : series_) {
        while (!series.points.empty() && series.points.front().at_s < oldest_s) {
            series.points.pop_front();
        }
    }
    series_.erase(std::remove_if(series_.begin(), series_.end(),
                                 [](const LatencySeries& s) { return s.points.empty(); }),
                  series_.end());
}

LatencySeries& LatencyHistory::series_of(const app::ClientStats& client) {
    const auto found = std::find_if(series_.begin(), series_.end(), [&](const LatencySeries& s) {
        return s.client_id == client.id && s.run == run_;
    });
    if (found != series_.end()) {
        return *found;
    }
    LatencySeries series;
    series.client_id = client.id;
    series.run = run_;
    series.label = QString("%1 (%2)").arg(QString::fromStdString(client.name)).arg(client.pid);
    series_.push_back(std::move(series));
    return series_.back();
}

}  // namespace framebridge::ui
