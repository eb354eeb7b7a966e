#include "models/latency_history.hpp"
#include "support/stats_maker.hpp"
#include "support/ui_test.hpp"

#include <QTest>

using namespace framebridge;
using ui::LatencyHistory;
using ui::test::client_stats;

class LatencyHistoryTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void keepsAReadingPerClientInMilliseconds() {
        LatencyHistory sut;

        sut.add(1.0, {client_stats(1, "a", 250, 900), client_stats(2, "b", 1500, 3000)});

        QCOMPARE(sut.series().size(), std::size_t{2});
        const auto& a = sut.series()[0];
        QCOMPARE(a.label, QString("a (1001)"));
        QCOMPARE(a.points.size(), std::size_t{1});
        QCOMPARE(a.points[0].at_s, 1.0);
        QCOMPARE(a.points[0].p50_ms, 0.25);
        QCOMPARE(a.points[0].p99_ms, 0.9);
        QCOMPARE(sut.series()[1].points[0].p50_ms, 1.5);
    }

    void aResultHistoryKeepsCaptureToResultOfClientsThatSendResults() {
        LatencyHistory sut(60.0, ui::LatencyMeasure::ToResult);
        auto reader = client_stats(2, "reader");
        reader.to_result = {};

        sut.add(1.0, {client_stats(1, "faces"), reader});

        QCOMPARE(sut.series().size(), std::size_t{1});
        QCOMPARE(sut.series()[0].label, QString("faces (1001)"));
        QCOMPARE(sut.series()[0].points[0].p50_ms, 30.0);
        QCOMPARE(sut.series()[0].points[0].p99_ms, 45.0);
    }

    void keepsOnlyTheLastSpan() {
        LatencyHistory sut(60.0);
        for (int t = 0; t <= 100; ++t) {
            sut.add(t, {client_stats(1, "a")});
        }

        const auto& points = sut.series()[0].points;
        QCOMPARE(points.front().at_s, 40.0);
        QCOMPARE(points.back().at_s, 100.0);
        QCOMPARE(points.size(), std::size_t{61});
    }

    void aClientGoneForTheWholeSpanLeavesThePlot() {
        LatencyHistory sut(60.0);
        sut.add(0.0, {client_stats(1, "gone"), client_stats(2, "stays")});

        sut.add(30.0, {client_stats(2, "stays")});
        QCOMPARE(sut.series().size(), std::size_t{2});
        sut.add(61.0, {client_stats(2, "stays")});

        QCOMPARE(sut.series().size(), std::size_t{1});
        QCOMPARE(sut.series()[0].client_id, 2u);
    }

    void aNewRunsClientIsANewLineEvenUnderAnOldId() {
        LatencyHistory sut(60.0);
        sut.add(0.0, {client_stats(1, "before stop")});

        sut.begin_run();
        sut.add(5.0, {client_stats(1, "after start")});

        QCOMPARE(sut.series().size(), std::size_t{2});
        QCOMPARE(sut.series()[0].label, QString("before stop (1001)"));
        QCOMPARE(sut.series()[1].label, QString("after start (1001)"));
        QVERIFY(sut.series()[0].key() != sut.series()[1].key());
    }

    void aClientWithoutSamplesHasNoPoint() {
        LatencyHistory sut;
        auto client = client_stats(1, "new");
        client.ready = {};

        sut.add(1.0, {client});

        QVERIFY(sut.series().empty());
    }
};

FRAMEBRIDGE_UI_TEST(LatencyHistoryTest)
#include "latency_history_test.moc"
