// End to end under a real X server (xvfb-run): start the capture, run an example script from
// the window, and save a screenshot of the window as a test artifact.

#include "controllers/script_set.hpp"
#include "models/clients_model.hpp"
#include "support/small_capture.hpp"
#include "support/ui_test.hpp"
#include "widgets/main_window.hpp"
#include "widgets/script_panel.hpp"
#include "widgets/source_panel.hpp"

#include <QComboBox>
#include <QDir>
#include <QGuiApplication>
#include <QPixmap>
#include <QPushButton>
#include <QScreen>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace framebridge;

namespace {

// Distinct colours in a region: a blank or one-colour preview has very few.
int colours_in(const QImage& image, const QRect& region) {
    QSet<QRgb> colours;
    for (int y = region.top(); y <= region.bottom(); y += 4) {
        for (int x = region.left(); x <= region.right(); x += 4) {
            colours.insert(image.pixel(x, y));
        }
    }
    return static_cast<int>(colours.size());
}

}  // namespace

class DesktopAppScreenshotTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theWindowRunsAnExampleOnTheLiveFeed() {
        if (QGuiApplication::platformName() != "xcb") {
            QSKIP("needs an X server: run under xvfb-run with QT_QPA_PLATFORM=xcb");
        }
        QTemporaryDir dir;
        QSettings settings(dir.filePath("framebridge.ini"), QSettings::IniFormat);
        ui::MainWindow sut(settings);
        sut.source_panel().set_form(ui::test::small_form("1920x1080", "30"));
        sut.setGeometry(0, 0, 1400, 900);
        sut.show();
        QVERIFY(QTest::qWaitForWindowExposed(&sut));

        QTest::mouseClick(sut.findChild<QPushButton*>("start"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), ui::CaptureController::State::Running,
                                  10000);
        auto* script = sut.findChild<QComboBox*>("script");
        script->setCurrentIndex(script->findText("canny_edges.py"));
        QVERIFY(script->currentIndex() >= 0);
        QTest::mouseClick(sut.findChild<QPushButton*>("run_script"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(sut.script_panel().log_text().count("\nseq ") >= 10, 20000);
        // canny_edges.py is two clients: it reads the capture and publishes its edges.
        QTRY_VERIFY_WITH_TIMEOUT(sut.clients_model().rowCount() == 2, 5000);
        QTest::qWait(4000);  // a few seconds of latency on the plot

        const QImage shot = sut.screen()->grabWindow(0).toImage().copy(sut.frameGeometry());
        const QString artifacts = qEnvironmentVariable("FRAMEBRIDGE_ARTIFACTS_DIR", "artifacts");
        QVERIFY(QDir().mkpath(artifacts));
        const QString path = QDir(artifacts).filePath("desktop-app.png");
        QVERIFY2(shot.save(path), qPrintable(path));
        qInfo("screenshot: %s", qPrintable(QDir(path).absolutePath()));

        auto* preview = sut.findChild<QWidget*>("preview");
        const QRect preview_rect(preview->mapTo(&sut, QPoint(0, 0)), preview->size());
        const QRect in_shot =
            preview_rect.translated(sut.geometry().topLeft() - sut.frameGeometry().topLeft());
        QVERIFY2(colours_in(shot, in_shot) > 50, "the screenshot shows no live preview");
        sut.scripts().stop_all_and_wait();
        sut.close();
    }
};

FRAMEBRIDGE_UI_TEST(DesktopAppScreenshotTest)
#include "desktop_app_screenshot.moc"
