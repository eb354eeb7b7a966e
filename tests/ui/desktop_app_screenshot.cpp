// End to end under a real X server (xvfb-run): start the capture, run an example script from
// the window, and save screenshots of the window as test artifacts: the capture previewed, then
// the stream of edges the script publishes, picked above the preview.

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
#include <QLineEdit>
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

// Saves the window as it is on screen to the artifacts folder as `file`, checks that the
// preview shows more than `min_colours` colours, and returns the shot's preview.
QImage save_shot(const QWidget& window, const QString& file, int min_colours) {
    const QImage shot = window.screen()->grabWindow(0).toImage().copy(window.frameGeometry());
    const QString artifacts = qEnvironmentVariable("FRAMEBRIDGE_ARTIFACTS_DIR", "artifacts");
    QDir().mkpath(artifacts);
    const QString path = QDir(artifacts).filePath(file);
    if (!shot.save(path)) {
        qWarning("cannot save %s", qPrintable(path));
        return {};
    }
    qInfo("screenshot: %s", qPrintable(QDir(path).absolutePath()));
    auto* preview = window.findChild<QWidget*>("preview");
    const QRect preview_rect(preview->mapTo(&window, QPoint(0, 0)), preview->size());
    const QRect in_shot =
        preview_rect.translated(window.geometry().topLeft() - window.frameGeometry().topLeft());
    return colours_in(shot, in_shot) > min_colours ? shot.copy(in_shot) : QImage();
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
        // A name of this run's own: the stream's segment is in /dev/shm beside other tests'.
        const QString edges_name = QString("edges-%1").arg(QCoreApplication::applicationPid());
        sut.findChild<QLineEdit*>("script_arguments")
            ->setText("--port {port} --publish " + edges_name);
        QTest::mouseClick(sut.findChild<QPushButton*>("run_script"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(sut.script_panel().log_text().count("\nseq ") >= 10, 20000);
        // canny_edges.py is two clients: it reads the capture and publishes its edges.
        QTRY_VERIFY_WITH_TIMEOUT(sut.clients_model().rowCount() == 2, 5000);
        QTest::qWait(4000);  // a few seconds of latency on the plot

        QVERIFY2(!save_shot(sut, "desktop-app.png", 50).isNull(),
                 "the screenshot shows no live preview");

        // The edges the script publishes, picked as a user does: Down in the picker.
        auto* picker = sut.findChild<QComboBox*>("stream_picker");
        QTRY_COMPARE_WITH_TIMEOUT(picker->count(), 2, 5000);
        picker->setFocus();
        QTest::keyClick(picker, Qt::Key_Down);
        QTRY_VERIFY_WITH_TIMEOUT(sut.preview().message().isEmpty(), 5000);
        QTest::qWait(2000);
        const QImage edges = save_shot(sut, "desktop-app-streams.png", 1);
        QVERIFY2(!edges.isNull(), "the screenshot shows no published stream");
        const QRect middle(edges.width() / 4, edges.height() / 4, edges.width() / 2,
                           edges.height() / 2);
        QVERIFY2(edges.copy(middle).allGray(), "the preview shows colours, not the GRAY8 edges");
        sut.scripts().stop_all_and_wait();
        sut.close();
    }
};

FRAMEBRIDGE_UI_TEST(DesktopAppScreenshotTest)
#include "desktop_app_screenshot.moc"
