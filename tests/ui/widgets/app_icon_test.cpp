#include "widgets/app_icon.hpp"
#include "support/ui_test.hpp"

#include <QTest>

using namespace framebridge::ui;

class AppIconTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theSizesFromMenusToLargeIconViewsAreCompiledIn() {
        const QList<QSize> sut = app_icon().availableSizes();

        QVERIFY(sut.contains(QSize(16, 16)));
        QVERIFY(sut.contains(QSize(48, 48)));
        QVERIFY(sut.contains(QSize(256, 256)));
    }

    void theIconIsDrawnNotBlank() {
        const QImage sut = app_icon().pixmap(48, 48).toImage();

        QVERIFY(!sut.isNull());
        QVERIFY(sut.pixelColor(24, 24).alpha() > 0);
        QVERIFY(sut.pixelColor(0, 0) != sut.pixelColor(24, 24));
    }
};

FRAMEBRIDGE_UI_TEST(AppIconTest)
#include "app_icon_test.moc"
