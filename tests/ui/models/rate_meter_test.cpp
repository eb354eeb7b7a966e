#include "models/rate_meter.hpp"
#include "support/ui_test.hpp"

#include <QTest>

using framebridge::ui::RateMeter;

class RateMeterTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void countsTheEventsOfTheLastSecond() {
        RateMeter sut;
        for (std::int64_t t = 0; t < 2000; t += 50) {
            sut.add(t);
        }

        QCOMPARE(sut.per_second(1999), 20.0);
        QCOMPARE(sut.per_second(2450), 10.0);  // 1500 to 1950
        QCOMPARE(sut.per_second(3000), 0.0);
    }
};

FRAMEBRIDGE_UI_TEST(RateMeterTest)
#include "rate_meter_test.moc"
