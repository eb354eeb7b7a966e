#include "models/overlay_text.hpp"
#include "support/ui_test.hpp"

#include <QTest>

class OverlayTextTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void saysTheFramesOwnSizeTheRateAndTheNumber() {
        QCOMPARE(framebridge::ui::overlay_text(QSize(1920, 1080), 29.84, 541),
                 QString("1920x1080 · 29.8 fps · frame 541"));
    }
};

FRAMEBRIDGE_UI_TEST(OverlayTextTest)
#include "overlay_text_test.moc"
