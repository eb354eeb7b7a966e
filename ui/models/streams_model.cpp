#include "models/streams_model.hpp"

#include "models/stream_choices.hpp"

#include <algorithm>

namespace framebridge::ui {

namespace {

QString cell_text(const app::StreamInfo& s, int column) {
    switch (column) {
    case StreamsModel::Name:
        return QString::fromStdString(s.name);
    case StreamsModel::Producer:
        return s.producer == protocol::Producer::Client ? QObject::tr("client")
                                                        : QObject::tr("capture");
    case StreamsModel::Size:
        return s.geometry.width == 0 ? QString("–") : stream_size_text(s.geometry);
    case StreamsModel::Fps:
        return s.fps > 0 ? QString::number(s.fps, 'f', 1) : QString("–");
    case StreamsModel::Published:
        return QString::number(s.published);
    case StreamsModel::Clients:
        return QString::number(s.clients);
    default:
        return {};
    }
}

bool same_names(const std::vector<app::StreamInfo>& a, const std::vector<app::StreamInfo>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const auto& x, const auto& y) { return x.name == y.name; });
}

}  // namespace

int StreamsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int StreamsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StreamsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    if (role == Qt::DisplayRole) {
        return cell_text(rows_[static_cast<std::size_t>(index.row())], index.column());
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Fps) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant StreamsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal) {
        return {};
    }
    switch (section) {
    case Name:
        return tr("Stream");
    case Producer:
        return tr("Producer");
    case Size:
        return tr("Size");
    case Fps:
        return tr("fps");
    case Published:
        return tr("Frames");
    case Clients:
        return tr("Clients");
    default:
        return {};
    }
}

void StreamsModel::set_streams(const std::vector<app::StreamInfo>& streams) {
    if (same_names(rows_, streams)) {
        rows_ = streams;  // the same rows, new figures
        if (!rows_.empty()) {
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        }
        return;
    }
    // Streams come and go seldom (a publisher starts or stops): the table starts again.
    beginResetModel();
    rows_ = streams;
    endResetModel();
}

}  // namespace framebridge::ui
