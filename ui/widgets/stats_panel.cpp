#include "widgets/stats_panel.hpp"

#include "models/clients_model.hpp"
#include "models/stats_model.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QTableView>

namespace framebridge::ui {

namespace {

QTableView* table_view(QAbstractItemModel& model) {
    auto* view = new QTableView;
    view->setModel(&model);
    view->verticalHeader()->hide();
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    return view;
}

}  // namespace

StatsPanel::StatsPanel(StatsModel& stats, ClientsModel& clients, QWidget* parent)
    : QWidget(parent), clients_view_(table_view(clients)) {
    QTableView* stats_view = table_view(stats);
    stats_view->setObjectName("capture_stats");
    stats_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    stats_view->setFixedWidth(230);
    stats_view->setSelectionMode(QAbstractItemView::NoSelection);
    // Every figure in sight, no scrolling: the table is as tall as its rows.
    stats_view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    stats_view->setMinimumHeight(
        stats_view->verticalHeader()->defaultSectionSize() * stats.rowCount() +
        stats_view->horizontalHeader()->sizeHint().height() + 2 * stats_view->frameWidth());
    clients_view_->setObjectName("clients");
    clients_view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    clients_view_->horizontalHeader()->setStretchLastSection(true);
    clients_view_->setToolTip(
        tr("Ready: from the frame's publication to the client having it. Hold: from then until "
           "the client gave it back. Over the last 10 s."));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stats_view);
    layout->addWidget(clients_view_, 1);
}

}  // namespace framebridge::ui
