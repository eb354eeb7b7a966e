#include "models/stats_model.hpp"
#include "support/stats_maker.hpp"
#include "support/ui_test.hpp"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace framebridge;
using ui::StatsModel;

namespace {

QString value(const StatsModel& model, int row) {
    return model.data(model.index(row, 1), Qt::DisplayRole).toString();
}

}  // namespace

class StatsModelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsEveryFigureOfTheCapture() {
        StatsModel sut;
        QAbstractItemModelTester tester(&sut);
        app::PipelineStats stats;
        stats.capture.fps = 29.96;
        stats.capture.published = 1234;
        stats.capture.dropped = 5;
        stats.capture.copies = 617;
        stats.clients = {ui::test::client_stats(1, "a"), ui::test::client_stats(2, "b")};

        sut.set_stats(stats);
        sut.set_preview_fps(24.0);

        QCOMPARE(sut.rowCount(), int{StatsModel::RowCount});
        QCOMPARE(value(sut, StatsModel::State), QString("live"));
        QCOMPARE(value(sut, StatsModel::CaptureFps), QString("30.0"));
        QCOMPARE(value(sut, StatsModel::Published), QString("1234"));
        QCOMPARE(value(sut, StatsModel::Dropped), QString("5"));
        QCOMPARE(value(sut, StatsModel::CopiesPerFrame), QString("0.50"));
        QCOMPARE(value(sut, StatsModel::PreviewFps), QString("24.0"));
        QCOMPARE(value(sut, StatsModel::Clients), QString("2"));
        QCOMPARE(sut.data(sut.index(StatsModel::Dropped, 0), Qt::DisplayRole).toString(),
                 QString("Dropped"));
    }

    void anEndedStreamCapturesNothing() {
        StatsModel sut;
        app::PipelineStats stats;
        stats.capture.fps = 30.0;  // the last full second before the end
        stats.capture.state = protocol::StreamState::Ended;

        sut.set_stats(stats);

        QCOMPARE(value(sut, StatsModel::State), QString("ended"));
        QCOMPARE(value(sut, StatsModel::CaptureFps), QString("0.0"));
    }

    void newFiguresTellTheViews() {
        StatsModel sut;
        QSignalSpy changed(&sut, &StatsModel::dataChanged);

        sut.set_stats({});

        QCOMPARE(changed.count(), 1);
    }

    void clearedItShowsNoFigures() {
        StatsModel sut;
        sut.set_stats({});
        sut.set_preview_fps(3);

        sut.clear();

        for (int row = 0; row < sut.rowCount(); ++row) {
            QCOMPARE(value(sut, row), QString("–"));
        }
    }
};

FRAMEBRIDGE_UI_TEST(StatsModelTest)
#include "stats_model_test.moc"
