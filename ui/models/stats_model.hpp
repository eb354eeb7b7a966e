#pragma once

#include "framebridge/app/stats/pipeline_stats.hpp"

#include <QAbstractTableModel>
#include <optional>

namespace framebridge::ui {

/// @brief The capture's figures as a two-column table (what, value), one row per figure.
class StatsModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Row {
        State,
        CaptureFps,
        Published,
        Dropped,
        CopiesPerFrame,
        PreviewFps,
        Clients,
        RowCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void set_stats(const app::PipelineStats& stats);
    void set_preview_fps(double fps);
    /// @brief Back to no figures, as when capture is stopped.
    void clear();

private:
    QString value_text(int row) const;

    std::optional<app::CaptureStats> capture_;
    std::size_t clients_ = 0;
    std::optional<double> preview_fps_;
};

}  // namespace framebridge::ui
