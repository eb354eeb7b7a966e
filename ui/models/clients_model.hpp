#pragma once

#include "framebridge/app/stats/pipeline_stats.hpp"
#include "models/counter_rate.hpp"

#include <QAbstractTableModel>
#include <vector>

namespace framebridge::ui {

/// @brief One row per connected client. Rows are matched by the server's client id from one
/// update to the next, so a view keeps its selection while the figures change.
class ClientsModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        Name,
        Pid,
        Stream,  ///< what it reads, and what it publishes
        Frames,
        Skipped,
        ReadyP50,
        ReadyP99,
        HoldP50,
        HoldP99,
        ResultsPerSecond,  ///< RESULTs it sent, per second
        ResultP50,         ///< a result's frame captured -> the server read the result
        ResultP99,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// @brief The clients' statistics read at `now_ms` (any clock, for the rates).
    void set_clients(const std::vector<app::ClientStats>& clients, std::int64_t now_ms);

private:
    struct Row {
        app::ClientStats stats;
        CounterRate results;
    };

    std::vector<Row> rows_;
};

}  // namespace framebridge::ui
