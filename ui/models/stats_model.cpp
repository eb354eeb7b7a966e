#include "models/stats_model.hpp"

namespace framebridge::ui {

namespace {

constexpr int VALUE_COLUMN = 1;

QString row_name(int row) {
    switch (row) {
    case StatsModel::State:
        return QObject::tr("Stream");
    case StatsModel::CaptureFps:
        return QObject::tr("Capture fps");
    case StatsModel::Published:
        return QObject::tr("Published");
    case StatsModel::Dropped:
        return QObject::tr("Dropped");
    case StatsModel::CopiesPerFrame:
        return QObject::tr("Copies per frame");
    case StatsModel::PreviewFps:
        return QObject::tr("Preview fps");
    case StatsModel::Clients:
        return QObject::tr("Clients");
    default:
        return {};
    }
}

}  // namespace

int StatsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : RowCount;
}

int StatsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : 2;
}

QVariant StatsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) {
        return {};
    }
    if (role == Qt::DisplayRole) {
        return index.column() == VALUE_COLUMN ? value_text(index.row()) : row_name(index.row());
    }
    if (role == Qt::TextAlignmentRole && index.column() == VALUE_COLUMN) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant StatsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal) {
        return {};
    }
    return section == VALUE_COLUMN ? tr("Value") : tr("Capture");
}

QString StatsModel::value_text(int row) const {
    if (row == PreviewFps) {
        return preview_fps_ ? QString::number(*preview_fps_, 'f', 1) : QString("–");
    }
    if (!capture_) {
        return "–";
    }
    const app::CaptureStats& c = *capture_;
    switch (row) {
    case State:
        return protocol::to_string(c.state);
    case CaptureFps:
        // The last second's count stays behind when the source stops: nothing is captured now.
        return QString::number(c.state == protocol::StreamState::Live ? c.fps : 0.0, 'f', 1);
    case Published:
        return QString::number(c.published);
    case Dropped:
        return QString::number(c.dropped);
    case CopiesPerFrame:
        return QString::number(c.copies_per_frame(), 'f', 2);
    case Clients:
        return QString::number(clients_);
    default:
        return {};
    }
}

void StatsModel::set_stats(const app::PipelineStats& stats) {
    capture_ = stats.capture;
    clients_ = stats.clients.size();
    Q_EMIT dataChanged(index(0, VALUE_COLUMN), index(RowCount - 1, VALUE_COLUMN));
}

void StatsModel::set_preview_fps(double fps) {
    preview_fps_ = fps;
    Q_EMIT dataChanged(index(PreviewFps, VALUE_COLUMN), index(PreviewFps, VALUE_COLUMN));
}

void StatsModel::clear() {
    capture_.reset();
    clients_ = 0;
    preview_fps_.reset();
    Q_EMIT dataChanged(index(0, VALUE_COLUMN), index(RowCount - 1, VALUE_COLUMN));
}

}  // namespace framebridge::ui
