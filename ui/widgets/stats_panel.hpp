#pragma once

#include <QWidget>

class QTableView;

namespace framebridge::ui {

class ClientsModel;
class StatsModel;
class StreamsModel;

/// @brief The numbers: the capture's figures beside the tables of streams and of clients.
class StatsPanel : public QWidget {
    Q_OBJECT

public:
    StatsPanel(StatsModel& stats, StreamsModel& streams, ClientsModel& clients,
               QWidget* parent = nullptr);

    QTableView* streams_view() const noexcept { return streams_view_; }
    QTableView* clients_view() const noexcept { return clients_view_; }

private:
    QTableView* streams_view_;
    QTableView* clients_view_;
};

}  // namespace framebridge::ui
