#pragma once

#include <QWidget>

class QTableView;

namespace framebridge::ui {

class ClientsModel;
class StatsModel;

/// @brief The numbers: the capture's figures beside the table of clients.
class StatsPanel : public QWidget {
    Q_OBJECT

public:
    StatsPanel(StatsModel& stats, ClientsModel& clients, QWidget* parent = nullptr);

    QTableView* clients_view() const noexcept { return clients_view_; }

private:
    QTableView* clients_view_;
};

}  // namespace framebridge::ui
