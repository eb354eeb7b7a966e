#include "models/latency_axis.hpp"
#include "support/stats_maker.hpp"
#include "support/ui_test.hpp"

#include <QTest>

using namespace framebridge;
using ui::LatencyHistory;
using ui::test::client_stats;

class LatencyAxisTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theTopAndTheTicksAreRound_data() {
        QTest::addColumn<double>("p99_ms");
        QTest::addColumn<double>("top_ms");
        QTest::addColumn<double>("step_ms");
        QTest::newRow("below a millisecond") << 0.4 << 1.0 << 0.2;
        QTest::newRow("1.3 ms") << 1.3 << 2.0 << 0.5;
        QTest::newRow("3.7 ms") << 3.7 << 5.0 << 1.0;
        QTest::newRow("6 ms") << 6.0 << 10.0 << 2.0;
        QTest::newRow("exactly 20 ms") << 20.0 << 20.0 << 5.0;
    }

    void theTopAndTheTicksAreRound() {
        QFETCH(double, p99_ms);
        QFETCH(double, top_ms);
        QFETCH(double, step_ms);
        LatencyHistory history;
        const auto p99_us = static_cast<std::uint64_t>(p99_ms * 1000);
        history.add(1.0, {client_stats(1, "a", p99_us, p99_us)});

        const ui::LatencyAxis sut = ui::latency_axis(history);

        QCOMPARE(sut.top_ms, top_ms);
        QCOMPARE(sut.step_ms, step_ms);
    }

    void aFirstFramesOutlierDoesNotSetTheScale() {
        LatencyHistory history;
        for (int t = 0; t < 10; ++t) {  // p50 0.3 ms; the first frame's 40 ms stays in p99
            history.add(t, {client_stats(1, "a", 300, 40'000)});
        }

        const ui::LatencyAxis sut = ui::latency_axis(history);

        QCOMPARE(sut.top_ms, 2.0);  // 5 x 0.3 ms, rounded up
    }
};

FRAMEBRIDGE_UI_TEST(LatencyAxisTest)
#include "latency_axis_test.moc"
