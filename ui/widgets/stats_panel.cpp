#include "widgets/stats_panel.hpp"

#include "models/clients_model.hpp"
#include "models/stats_model.hpp"
#include "models/streams_model.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QTableView>
#include <QVBoxLayout>

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

// Rows shown before the streams table scrolls: the capture and a few published streams.
constexpr int STREAM_ROWS_IN_SIGHT = 3;

int table_height(QTableView* view, int rows) {
    return view->verticalHeader()->defaultSectionSize() * rows +
           view->horizontalHeader()->sizeHint().height() + 2 * view->frameWidth();
}

}  // namespace

StatsPanel::StatsPanel(StatsModel& stats, StreamsModel& streams, ClientsModel& clients,
                       QWidget* parent)
    : QWidget(parent), streams_view_(table_view(streams)), clients_view_(table_view(clients)) {
    QTableView* stats_view = table_view(stats);
    stats_view->setObjectName("capture_stats");
    stats_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    stats_view->setFixedWidth(230);
    stats_view->setSelectionMode(QAbstractItemView::NoSelection);
    // Every figure in sight, no scrolling: the table is as tall as its rows.
    stats_view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    stats_view->setMinimumHeight(table_height(stats_view, stats.rowCount()));
    streams_view_->setObjectName("streams");
    streams_view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    streams_view_->horizontalHeader()->setStretchLastSection(true);
    streams_view_->setSelectionMode(QAbstractItemView::NoSelection);
    streams_view_->setMaximumHeight(table_height(streams_view_, STREAM_ROWS_IN_SIGHT));
    streams_view_->setToolTip(
        tr("Every stream served: the capture, and those clients publish. "
           "Frames: published since the stream was made. Clients: reading "
           "it now."));
    clients_view_->setObjectName("clients");
    clients_view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    clients_view_->horizontalHeader()->setStretchLastSection(true);
    clients_view_->setToolTip(
        tr("Stream: the stream the client reads, and the one it publishes. Ready: from the "
           "frame's publication to the client having it. Hold: from then until the client gave "
           "it back. Results/s: the results it sends. Result: from the frame's capture to the "
           "server having the client's result about it, the whole loop. Latencies over the last "
           "10 s."));

    auto* tables = new QVBoxLayout;
    tables->addWidget(streams_view_);
    tables->addWidget(clients_view_, 1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stats_view);
    layout->addLayout(tables, 1);
}

}  // namespace framebridge::ui
