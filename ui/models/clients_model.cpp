#include "models/clients_model.hpp"

#include "framebridge/app/stats/stats_report.hpp"

#include <algorithm>

namespace framebridge::ui {

namespace {

QString latency_text(const app::LatencySummary& summary, std::uint64_t ns) {
    return summary.count == 0 ? QString("–") : QString::fromStdString(app::format_ms(ns));
}

/// @brief "front", "publishes edges", or "front, publishes edges".
QString streams_text(const app::ClientStats& c) {
    QString text = QString::fromStdString(c.stream);
    if (!c.publishes.empty()) {
        const QString publishes =
            ClientsModel::tr("publishes %1").arg(QString::fromStdString(c.publishes));
        text = text.isEmpty() ? publishes : text + ", " + publishes;
    }
    return text;
}

QString rate_text(const app::ClientStats& c, const CounterRate& rate) {
    return c.results == 0 ? QString("–") : QString::number(rate.per_second(), 'f', 1);
}

QString cell_text(const app::ClientStats& c, const CounterRate& results, int column) {
    switch (column) {
    case ClientsModel::Name:
        return QString::fromStdString(c.name);
    case ClientsModel::Pid:
        return QString::number(c.pid);
    case ClientsModel::Stream:
        return streams_text(c);
    case ClientsModel::Frames:
        return QString::number(c.frames);
    case ClientsModel::Skipped:
        return QString::number(c.skipped);
    case ClientsModel::ReadyP50:
        return latency_text(c.ready, c.ready.p50_ns);
    case ClientsModel::ReadyP99:
        return latency_text(c.ready, c.ready.p99_ns);
    case ClientsModel::HoldP50:
        return latency_text(c.hold, c.hold.p50_ns);
    case ClientsModel::HoldP99:
        return latency_text(c.hold, c.hold.p99_ns);
    case ClientsModel::ResultsPerSecond:
        return rate_text(c, results);
    case ClientsModel::ResultP50:
        return latency_text(c.to_result, c.to_result.p50_ns);
    case ClientsModel::ResultP99:
        return latency_text(c.to_result, c.to_result.p99_ns);
    default:
        return {};
    }
}

bool has_id(const std::vector<app::ClientStats>& clients, std::uint32_t id) {
    return std::any_of(clients.begin(), clients.end(),
                       [id](const app::ClientStats& c) { return c.id == id; });
}

}  // namespace

int ClientsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ClientsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClientsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    if (role == Qt::DisplayRole) {
        const Row& row = rows_[static_cast<std::size_t>(index.row())];
        return cell_text(row.stats, row.results, index.column());
    }
    if (role == Qt::TextAlignmentRole && index.column() != Name && index.column() != Stream) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant ClientsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal) {
        return {};
    }
    switch (section) {
    case Name:
        return tr("Client");
    case Pid:
        return tr("PID");
    case Stream:
        return tr("Stream");
    case Frames:
        return tr("Frames");
    case Skipped:
        return tr("Skipped");
    case ReadyP50:
        return tr("Ready p50");
    case ReadyP99:
        return tr("Ready p99");
    case HoldP50:
        return tr("Hold p50");
    case HoldP99:
        return tr("Hold p99");
    case ResultsPerSecond:
        return tr("Results/s");
    case ResultP50:
        return tr("Result p50");
    case ResultP99:
        return tr("Result p99");
    default:
        return {};
    }
}

void ClientsModel::set_clients(const std::vector<app::ClientStats>& clients, std::int64_t now_ms) {
    // Rows of clients that left go first, from the bottom so indices stay right.
    for (int row = rowCount() - 1; row >= 0; --row) {
        if (!has_id(clients, rows_[static_cast<std::size_t>(row)].stats.id)) {
            beginRemoveRows({}, row, row);
            rows_.erase(rows_.begin() + row);
            endRemoveRows();
        }
    }
    for (const app::ClientStats& client : clients) {
        const auto found = std::find_if(rows_.begin(), rows_.end(),
                                        [&](const Row& row) { return row.stats.id == client.id; });
        if (found != rows_.end()) {
            found->stats = client;
            found->results.add(now_ms, client.results);
            const int row = static_cast<int>(found - rows_.begin());
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        } else {
            const int row = rowCount();
            beginInsertRows({}, row, row);
            rows_.push_back({client, {}});
            rows_.back().results.add(now_ms, client.results);
            endInsertRows();
        }
    }
}

}  // namespace framebridge::ui
