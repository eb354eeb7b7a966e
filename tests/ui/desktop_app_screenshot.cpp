// End to end under a real X server (xvfb-run): start the capture, run an example script from
// the window, and save screenshots of the window as test artifacts: the capture previewed, then
// the stream of edges the script publishes, picked above the preview; then two scripts' results
// drawn over the preview.

#include "controllers/script_set.hpp"
#include "models/clients_model.hpp"
#include "support/script_file.hpp"
#include "support/small_capture.hpp"
#include "support/ui_test.hpp"
#include "widgets/main_window.hpp"
#include "widgets/script_panel.hpp"
#include "widgets/source_panel.hpp"

#include <QComboBox>
#include <QDir>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QTableView>
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

// Boxes the largest green patches of each frame, labelled with how much of their box is green:
// a script that sends results, as a user's would.
const QString GREEN_BOXES_SCRIPT = R"(
import argparse
import cv2
import framebridge as fb

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int)
with fb.connect(port=parser.parse_args().port, name="green_boxes.py") as client:
    for frame in client:
        hsv = cv2.cvtColor(frame.array, cv2.COLOR_BGR2HSV)
        mask = cv2.inRange(hsv, (45, 80, 80), (75, 255, 255))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        largest = sorted(contours, key=cv2.contourArea, reverse=True)[:4]
        boxes = [cv2.boundingRect(c) for c in largest]
        scores = [cv2.contourArea(c) / max(1, w * h) for c, (x, y, w, h) in zip(largest, boxes)]
        client.send_result(frame, boxes=boxes, labels=["green"] * len(boxes), scores=scores,
                           text=f"{len(boxes)} green patches")
        print("seq", frame.seq, "boxes", len(boxes), flush=True)
)";

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

// The window every screenshot shows: capturing 1080p30, at the documented size. A failure
// fails the test: check QTest::currentTestFailed() after.
void start_at_shot_size(ui::MainWindow& window) {
    window.source_panel().set_form(ui::test::small_form("1920x1080", "30"));
    window.setGeometry(0, 0, 1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::mouseClick(window.findChild<QPushButton*>("start"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(window.controller().state(), ui::CaptureController::State::Running,
                              10000);
}

// Picks one of the SDK's examples in the script list; false when it is not there.
bool choose_example(const ui::MainWindow& window, const QString& name) {
    auto* script = window.findChild<QComboBox*>("script");
    script->setCurrentIndex(script->findText(name));
    return script->currentIndex() >= 0;
}

}  // namespace

class DesktopAppScreenshotTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        if (QGuiApplication::platformName() != "xcb") {
            QSKIP("needs an X server: run under xvfb-run with QT_QPA_PLATFORM=xcb");
        }
    }

    void theWindowRunsAnExampleOnTheLiveFeed() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("framebridge.ini"), QSettings::IniFormat);
        ui::MainWindow sut(settings);
        start_at_shot_size(sut);
        if (QTest::currentTestFailed()) {
            return;
        }
        QVERIFY(choose_example(sut, "canny_edges.py"));
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

    void theWindowDrawsTwoScriptsResultsOverThePreview() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("framebridge.ini"), QSettings::IniFormat);
        ui::MainWindow sut(settings);
        start_at_shot_size(sut);
        if (QTest::currentTestFailed()) {
            return;
        }

        // Boxes from a script of the user's, outlines and centres from contours.py.
        sut.script_panel().run_script(
            ui::test::write_script(dir, "green_boxes.py", GREEN_BOXES_SCRIPT));
        QVERIFY(choose_example(sut, "contours.py"));
        QTest::mouseClick(sut.findChild<QPushButton*>("run_script"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(sut.preview().shown_results().size() == 2, 20000);
        auto* measure = sut.findChild<QComboBox*>("latency_measure");
        measure->setCurrentIndex(measure->findText("Capture → result"));
        QTest::qWait(4000);  // a few seconds of results/s and latency
        // The clients table's last columns in sight: results/s and capture→result.
        QScrollBar* across = sut.findChild<QTableView*>("clients")->horizontalScrollBar();
        across->setValue(across->maximum());
        QTest::qWait(300);  // painted before the shot

        const QImage preview = save_shot(sut, "desktop-app-results.png", 50);
        QVERIFY2(!preview.isNull(), "the screenshot shows no live preview");
        // Both are drawn from results about frames: boxes of one, outlines of the other.
        bool boxes = false;
        bool outlines = false;
        for (const ui::ShownResult& shown : sut.preview().shown_results()) {
            boxes = boxes || (shown.result != nullptr && !shown.result->boxes.empty());
            outlines = outlines || (shown.result != nullptr && !shown.result->polylines.empty());
        }
        QVERIFY(boxes && outlines);
        sut.scripts().stop_all_and_wait();
        sut.close();
    }

    void theWindowRecordsThePreviewWithAScriptsResults() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("framebridge.ini"), QSettings::IniFormat);
        ui::MainWindow sut(settings);
        start_at_shot_size(sut);
        if (QTest::currentTestFailed()) {
            return;
        }
        QVERIFY(choose_example(sut, "contours.py"));
        QTest::mouseClick(sut.findChild<QPushButton*>("run_script"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!sut.preview().shown_results().empty(), 20000);

        QVERIFY(sut.start_recording(dir.filePath("framebridge-recording.mp4")));
        QTest::qWait(4000);  // a few seconds recorded: size, rate and dropped frames to show
        auto* indicator = sut.findChild<QLabel*>("record_indicator");
        QVERIFY(indicator->isVisible() && indicator->text().startsWith("● REC"));
        QVERIFY2(!save_shot(sut, "desktop-app-recording.png", 50).isNull(),
                 "the screenshot shows no live preview");
        QVERIFY(sut.controller().recording()->results > 0);
        sut.scripts().stop_all_and_wait();
        sut.close();
    }
};

FRAMEBRIDGE_UI_TEST(DesktopAppScreenshotTest)
#include "desktop_app_screenshot.moc"
