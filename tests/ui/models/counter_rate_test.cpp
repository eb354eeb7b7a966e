#include "models/counter_rate.hpp"
#include "support/ui_test.hpp"

#include <QTest>

using framebridge::ui::CounterRate;

class CounterRateTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void isZeroBeforeTwoReadings() {
        CounterRate sut;
        QCOMPARE(sut.per_second(), 0.0);
        sut.add(0, 100);
        QCOMPARE(sut.per_second(), 0.0);
    }

    void isTheGrowthOverTheLastSecond() {
        CounterRate sut;
        std::uint64_t total = 0;
        for (std::int64_t t = 0; t <= 2000; t += 250) {  // 5 every 250 ms
            sut.add(t, total);
            total += 5;
        }
        QCOMPARE(sut.per_second(), 20.0);

        total -= 5;
        for (std::int64_t t = 2250; t <= 3250; t += 250) {  // then 10
            total += 10;
            sut.add(t, total);
        }
        QCOMPARE(sut.per_second(), 40.0);  // the slower second has left the window
    }
};

FRAMEBRIDGE_UI_TEST(CounterRateTest)
#include "counter_rate_test.moc"
