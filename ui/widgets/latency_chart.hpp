#pragma once

#include "models/latency_history.hpp"

#include <QChartView>
#include <QMap>

class QLineSeries;
class QValueAxis;

namespace framebridge::ui {

/// @brief The plot of each client's latency over the last minute, publish->ready or
/// capture->result: p50 as a solid line, p99 dashed in the same colour.
class LatencyChart : public QChartView {
    Q_OBJECT

public:
    explicit LatencyChart(QWidget* parent = nullptr);

    /// @brief Redraws from `history`, titled with its measure; `now_s` is the right edge, on the
    /// history's clock.
    void show_history(const LatencyHistory& history, double now_s);

private:
    struct Lines {
        QLineSeries* p50 = nullptr;
        QLineSeries* p99 = nullptr;
    };

    Lines& lines_of(const LatencySeries& series);

    QValueAxis* time_axis_;
    QValueAxis* latency_axis_;
    QMap<std::uint64_t, Lines> lines_;  // by LatencySeries::key()
};

}  // namespace framebridge::ui
