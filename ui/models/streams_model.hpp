#pragma once

#include "framebridge/app/stats/pipeline_stats.hpp"

#include <QAbstractTableModel>
#include <vector>

namespace framebridge::ui {

/// @brief One row per stream the pipeline hosts, the first first: captured and published alike.
class StreamsModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Name, Producer, Size, Fps, Published, Clients, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void set_streams(const std::vector<app::StreamInfo>& streams);

private:
    std::vector<app::StreamInfo> rows_;
};

}  // namespace framebridge::ui
