#include "widgets/main_window.hpp"
#include "framebridge/shm/shared_segment.hpp"
#include "models/clients_model.hpp"
#include "models/script_catalog.hpp"
#include "models/stats_model.hpp"
#include "support/script_file.hpp"
#include "support/shown_window.hpp"
#include "support/small_capture.hpp"
#include "support/test_client.hpp"
#include "support/ui_test.hpp"
#include "widgets/latency_chart.hpp"
#include "widgets/preview_widget.hpp"
#include "widgets/script_log.hpp"
#include "widgets/script_panel.hpp"
#include "widgets/source_panel.hpp"
#include "widgets/status_line.hpp"
#ifdef FRAMEBRIDGE_TEST_MEDIA
#include "media/sample_video.hpp"
#endif

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using framebridge::ui::test::add_row;

using namespace framebridge;
using ui::CaptureController;
using ui::MainWindow;

namespace {

constexpr int START_TIMEOUT_MS = 10000;

bool segment_exists(const QString& name) {
    return QFile::exists(QString::fromStdString(shm::SharedSegment::location(name.toStdString())));
}

void click(const MainWindow& window, const char* button) {
    auto* found = window.findChild<QPushButton*>(button);
    QVERIFY2(found != nullptr, button);
    QVERIFY2(found->isEnabled(), button);
    QTest::mouseClick(found, Qt::LeftButton);
}

QString cell(const ui::ClientsModel& model, int row, int column) {
    return model.data(model.index(row, column), Qt::DisplayRole).toString();
}

QString published(const MainWindow& window) {
    const ui::StatsModel& model = window.stats_model();
    return model.data(model.index(ui::StatsModel::Published, 1), Qt::DisplayRole).toString();
}

// Presses the left button at `from`, moves to `to` with it held, and lets go there.
void drag(QWidget& widget, QPoint from, QPoint to) {
    const auto send = [&widget](QEvent::Type type, QPoint at, Qt::MouseButton button,
                                Qt::MouseButtons held) {
        QMouseEvent event(type, at, widget.mapToGlobal(at), button, held, Qt::NoModifier);
        QApplication::sendEvent(&widget, &event);
    };
    send(QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    send(QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton);
    send(QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
}

bool has_client(const MainWindow& window, const QString& name) {
    const ui::ClientsModel& model = window.clients_model();
    for (int row = 0; row < model.rowCount(); ++row) {
        if (cell(model, row, ui::ClientsModel::Name) == name) {
            return true;
        }
    }
    return false;
}

}  // namespace

class MainWindowTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QVERIFY(dir_.isValid());
        settings_ = ui::test::empty_settings(dir_);
        form_ = ui::test::small_form();
        window_ = ui::test::shown_window(*settings_, form_);
    }

    void cleanup() {
        window_.reset();
        QVERIFY(!segment_exists(form_.name));
    }

    void theLatencyPlotShowsCaptureToResultWhenAsked() {
        auto* measure = window_->findChild<QComboBox*>("latency_measure");
        auto* chart = window_->findChild<ui::LatencyChart*>();
        QVERIFY(measure != nullptr && chart != nullptr);

        measure->setCurrentIndex(measure->findText("Capture → result"));
        QVERIFY2(chart->chart()->title().startsWith("Capture → result"),
                 qPrintable(chart->chart()->title()));

        measure->setCurrentIndex(measure->findText("Publish → ready"));
        QVERIFY(chart->chart()->title().startsWith("Publish → ready"));
    }

    void aClientsResultIsDrawnOnThePreviewAndCountedInItsRow() {
        MainWindow& sut = *window_;
        click(sut, "start");
        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        framebridge::test::TestClient client(sut.controller().info().port);
        client.hello("boxes.py");

        // A box on the newest frame, again and again, as a script does, until the preview
        // draws one: the preview shows frames a little after the client gets them, and until
        // it shows the frame a result names, the sender is in the legend with nothing drawn.
        const auto drawn = [&sut] {
            const auto shown = sut.preview().shown_results();
            return !shown.empty() && shown[0].result != nullptr;
        };
        QElapsedTimer waited;
        waited.start();
        while (!drawn() && waited.elapsed() < 10000) {
            const auto frame = client.request(0);
            QVERIFY(frame.has_value());
            protocol::Result result;
            result.seq = frame->seq;
            result.capture_ns = frame->capture_ns;
            result.boxes = {{10, 10, 40, 30}};
            result.labels = {"thing"};
            client.send(protocol::encode(result));
            client.send(protocol::encode(protocol::Release{frame->slot, frame->seq, 0, 0}));
            QTest::qWait(30);
        }

        QVERIFY(drawn());
        const auto shown = sut.preview().shown_results();
        QCOMPARE(shown.size(), std::size_t{1});
        QVERIFY2(shown[0].sender.startsWith("boxes.py #"), qPrintable(shown[0].sender));
        QCOMPARE(shown[0].result->labels, std::vector<std::string>{"thing"});
        const ui::ClientsModel& clients = sut.clients_model();
        QTRY_VERIFY_WITH_TIMEOUT(cell(clients, 0, ui::ClientsModel::ResultP50).endsWith(" ms"),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(cell(clients, 0, ui::ClientsModel::ResultsPerSecond) != "–", 5000);
    }

    void theSlotsTooltipSaysWhatAClientMayHold() {
        auto* slots = window_->source_panel().findChild<QSpinBox*>("slots");

        QVERIFY(slots != nullptr);
        QVERIFY2(slots->toolTip().contains("slots - 1"), qPrintable(slots->toolTip()));
    }

    void startsAndStopsTheSyntheticSource() {
        MainWindow& sut = *window_;
        QSignalSpy frames(&sut.controller().poller(), &ui::FramePoller::frame_ready);

        click(sut, "start");

        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        QVERIFY(segment_exists(form_.name));
        QCOMPARE(sut.status_line().connect_text(),
                 QString("fb.connect(port=%1)").arg(sut.controller().info().port));
        QVERIFY(frames.wait(5000));
        QTRY_VERIFY(sut.preview().frames_per_second() > 0);

        click(sut, "stop");

        QCOMPARE(sut.controller().state(), CaptureController::State::Stopped);
        QVERIFY(!segment_exists(form_.name));
        QCOMPARE(sut.status_line().connect_text(), QString());
        QVERIFY(sut.findChild<QPushButton*>("start")->isEnabled());
    }

    void theStatisticsUpdateWhileCapturing() {
        MainWindow& sut = *window_;
        click(sut, "start");
        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);

        QTRY_VERIFY_WITH_TIMEOUT(published(sut).toULongLong() > 0, 5000);
        const qulonglong first = published(sut).toULongLong();

        QTRY_VERIFY_WITH_TIMEOUT(published(sut).toULongLong() > first, 5000);
        click(sut, "stop");
        QCOMPARE(published(sut), QString("–"));
    }

    void aPythonClientConnectingMakesARowAppear() {
        MainWindow& sut = *window_;
        click(sut, "start");
        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        QProcess client;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("PYTHONPATH", ui::find_sdk().python_path);
        client.setProcessEnvironment(env);
        client.start(ui::test::PYTHON,
                     {"-c", QString("import framebridge as fb\n"
                                    "with fb.connect(port=%1, name='ui-test-client') as c:\n"
                                    "    for frame in c:\n"
                                    "        pass\n")
                                .arg(sut.controller().info().port)});

        QTRY_VERIFY_WITH_TIMEOUT(has_client(sut, "ui-test-client"), 10000);
        const ui::ClientsModel& clients = sut.clients_model();
        QCOMPARE(cell(clients, 0, ui::ClientsModel::Pid), QString::number(client.processId()));
        QTRY_VERIFY_WITH_TIMEOUT(cell(clients, 0, ui::ClientsModel::ReadyP50).endsWith(" ms"),
                                 5000);

        client.kill();
        QVERIFY(client.waitForFinished(5000));
        QTRY_VERIFY_WITH_TIMEOUT(!has_client(sut, "ui-test-client"), 5000);
    }

    void aBadStartShowsAnErrorAndLeavesTheAppUsable_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("size");
        QTest::addColumn<QString>("message");
        add_row("nonsense source", "nonsense", "320x240", "file 'nonsense'");
        add_row("1x1", "synthetic", "1x1", "rows of at least 8 bytes");
        add_row("not a size", "synthetic", "big", "size 'big'");
    }

    void aBadStartShowsAnErrorAndLeavesTheAppUsable() {
        QFETCH(QString, source);
        QFETCH(QString, size);
        QFETCH(QString, message);
        MainWindow& sut = *window_;
        ui::CaptureForm bad = form_;
        bad.source = ui::choice_from_spec(source);
        bad.size = size;
        sut.source_panel().set_form(bad);
        auto* error = sut.findChild<QLabel*>("error");

        click(sut, "start");

        QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), START_TIMEOUT_MS);
        QVERIFY2(
            error->text().startsWith("Could not start capture") && error->text().contains(message),
            qPrintable(error->text()));
        QCOMPARE(sut.controller().state(), CaptureController::State::Stopped);

        sut.source_panel().set_form(form_);
        click(sut, "start");

        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        QVERIFY(!error->isVisible());
    }

    void aScriptRunFromTheAppShowsItsOutputAndStopsWhenAsked() {
        MainWindow& sut = *window_;
        auto* script = sut.findChild<QComboBox*>("script");
        click(sut, "start");
        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        script->setCurrentIndex(script->findText("print_frames.py"));
        QVERIFY(script->currentIndex() >= 0);

        click(sut, "run_script");

        QTRY_VERIFY_WITH_TIMEOUT(sut.script_panel().log_text().contains("\nseq "), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(has_client(sut, "print_frames.py"), 5000);

        click(sut, "stop_script");

        QTRY_COMPARE_WITH_TIMEOUT(sut.scripts().running_count(), 0, 10000);
        QVERIFY2(sut.script_panel().log_text().endsWith("[the script stopped]\n"),
                 qPrintable(sut.script_panel().log_text().right(200)));
        QVERIFY(sut.findChild<QPushButton*>("run_script")->isEnabled());
    }

    void closingStopsTheScriptAndTheCaptureAndSavesTheSettings() {
        MainWindow& sut = *window_;
        click(sut, "start");
        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        click(sut, "run_script");
        QTRY_VERIFY_WITH_TIMEOUT(sut.script_panel().log_text().contains("\nseq "), 10000);

        QVERIFY(sut.close());

        QCOMPARE(sut.scripts().running_count(), 0);
        QCOMPARE(sut.controller().state(), CaptureController::State::Stopped);
        QVERIFY(!segment_exists(form_.name));
        QCOMPARE(settings_->value("capture/name").toString(), form_.name);
    }

    void theNextRunStartsFromTheLastOnesSettings() {
        ui::CaptureForm last = form_;
        last.size = "640x360";
        last.fps = "15";
        window_->source_panel().set_form(last);
        window_->resize(1100, 850);
        const QSize last_size = window_->size();  // no smaller than the window's minimum
        window_->close();
        window_.reset();

        window_ = std::make_unique<MainWindow>(*settings_);

        const ui::CaptureForm sut = window_->source_panel().form();
        QCOMPARE(sut.size, QString("640x360"));
        QCOMPARE(sut.fps, QString("15"));
        QCOMPARE(sut.name, form_.name);
        QCOMPARE(sut.port, 0);
        QCOMPARE(window_->size(), last_size);
    }

    void theCommandLineOverridesTheSettings() {
        ui::AppOptions options;
        options.server.pipeline.geometry = shm::FrameGeometry{800, 600};
        options.given = {"--size"};

        window_->apply_options(options);

        QCOMPARE(window_->source_panel().form().size, QString("800x600"));
        QCOMPARE(window_->source_panel().form().name, form_.name);
    }

    void aScriptGoesOnWithTheNewFramesWhenTheSizeChangesWhileItRuns() {
        MainWindow& sut = *window_;
        click(sut, "start");
        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        const QString script = write_script("follow.py", R"(
import sys, framebridge as fb
with fb.connect(port=int(sys.argv[1])) as client:
    for frame in client:
        if frame.width == 160:
            print("now", frame.width, frame.height, flush=True)
            break
)");
        ui::ScriptRunner& runner = sut.scripts().run(
            ui::test::PYTHON, script, {QString::number(sut.controller().info().port)});
        QTRY_VERIFY_WITH_TIMEOUT(has_client(sut, "follow.py"), 10000);
        QSignalSpy finished(&runner, &ui::ScriptRunner::finished);
        ui::CaptureForm smaller = form_;
        smaller.size = "160x120";
        sut.source_panel().set_form(smaller);

        click(sut, "apply");

        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 10000);
        QCOMPARE(finished.at(0).at(0).toString(), QString("exited with code 0"));
        QVERIFY2(sut.script_panel().log_text().contains("now 160 120"),
                 qPrintable(sut.script_panel().log_text()));
        QCOMPARE(sut.controller().state(), CaptureController::State::Running);
        QVERIFY2(sut.status_line().state_text().contains("160x120"),
                 qPrintable(sut.status_line().state_text()));
        QVERIFY(!sut.findChild<QSpinBox*>("port")->isEnabled());
        QVERIFY(sut.findChild<QComboBox*>("size")->isEnabled());
    }

    void stopAsksBeforeEndingARunningScript_data() {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<bool>("capturing");
        QTest::addColumn<bool>("script_running");
        add_row("both", "stop_both", false, false);
        add_row("capture only", "stop_capture_only", false, true);
        add_row("cancel", "cancel", true, true);
    }

    void stopAsksBeforeEndingARunningScript() {
        QFETCH(QString, answer);
        QFETCH(bool, capturing);
        QFETCH(bool, script_running);
        MainWindow& sut = *window_;
        click(sut, "start");
        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        sut.scripts().run(ui::test::PYTHON,
                          write_script("wait.py", "import time\ntime.sleep(60)\n"), {});
        QString asked;
        QTimer::singleShot(100, [&asked, answer] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (box == nullptr) {
                return;
            }
            asked = box->text();
            QAbstractButton* button = answer == "cancel" ? box->button(QMessageBox::Cancel)
                                                         : box->findChild<QPushButton*>(answer);
            button->click();
        });

        click(sut, "stop");

        QVERIFY2(asked.contains("A script is running"), qPrintable(asked));
        QCOMPARE(sut.controller().state() == CaptureController::State::Running, capturing);
        QCOMPARE(sut.scripts().running_count() == 1, script_running);
        sut.scripts().stop_all_and_wait();
    }

    void aScriptRunsAgainstAServerStartedElsewhere() {
        MainWindow& sut = *window_;
        CaptureController elsewhere;
        QSignalSpy started(&elsewhere, &CaptureController::started);
        elsewhere.start(ui::test::small_form());
        QVERIFY(started.wait(START_TIMEOUT_MS));
        auto* script = sut.findChild<QComboBox*>("script");
        script->setCurrentIndex(script->findText("print_frames.py"));
        sut.findChild<QSpinBox*>("script_port")->setValue(elsewhere.info().port);
        sut.findChild<QLineEdit*>("script_arguments")->setText("--port {port} --count 2");

        click(sut, "run_script");

        QTRY_COMPARE_WITH_TIMEOUT(sut.scripts().running_count(), 0, 10000);
        QVERIFY2(sut.script_panel().log_text().count("\nseq ") == 2,
                 qPrintable(sut.script_panel().log_text()));
        QCOMPARE(sut.controller().state(), CaptureController::State::Stopped);
        elsewhere.stop();
    }

    void twoScriptsRunAtOnceEachInItsTabAndEachStopsAlone() {
        MainWindow& sut = *window_;
        auto* tabs = sut.findChild<QTabWidget*>("script_tabs");
        sut.script_panel().set_choice({write_script("first.py", ui::test::FOREVER_SCRIPT), "", {}});
        click(sut, "run_script");
        sut.script_panel().set_choice({write_script("second.py", R"(
import os, sys, time
print("pid", os.getpid(), flush=True)
print("a warning", file=sys.stderr, flush=True)
while True:
    time.sleep(0.05)
)"),
                                       "",
                                       {}});

        click(sut, "run_script");

        QCOMPARE(tabs->count(), 2);
        QCOMPARE(tabs->tabText(0), QString("first.py"));
        QCOMPARE(tabs->tabText(1), QString("second.py"));
        QCOMPARE(tabs->currentIndex(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(sut.script_panel().log_text().contains("a warning"), 10000);
        QCOMPARE(sut.scripts().running_count(), 2);
        tabs->setCurrentIndex(0);
        QTRY_VERIFY_WITH_TIMEOUT(sut.script_panel().log_text().contains("pid "), 10000);

        click(sut, "stop_script");

        QTRY_VERIFY_WITH_TIMEOUT(sut.script_panel().log_text().endsWith("[the script stopped]\n"),
                                 10000);
        QCOMPARE(sut.scripts().running_count(), 1);
        QVERIFY(!sut.findChild<QPushButton*>("stop_script")->isEnabled());
        tabs->setCurrentIndex(1);
        QVERIFY(sut.findChild<QPushButton*>("stop_script")->isEnabled());
        QVERIFY(!sut.script_panel().log_text().contains("[the script"));
    }

    void aTabSaysWhetherItsScriptRunsOrFailed() {
        MainWindow& sut = *window_;
        auto* tabs = sut.findChild<QTabWidget*>("script_tabs");
        sut.script_panel().run_script(write_script("fine.py", "print('fine')\n"));
        sut.script_panel().run_script(write_script("fails.py", "raise SystemExit('no luck')\n"));
        sut.script_panel().run_script(write_script("runs.py", ui::test::FOREVER_SCRIPT));

        QTRY_COMPARE_WITH_TIMEOUT(sut.scripts().running_count(), 1, 10000);

        QVERIFY(tabs->tabIcon(0).isNull());
        QVERIFY(!tabs->tabIcon(1).isNull());
        QVERIFY(!tabs->tabIcon(2).isNull());
        QVERIFY(tabs->tabIcon(1).cacheKey() != tabs->tabIcon(2).cacheKey());
        tabs->setCurrentIndex(1);
        QCOMPARE(sut.script_panel().current_log()->status(),
                 QString("The script exited with code 1."));
    }

    void closingATabEndsItsScript() {
        MainWindow& sut = *window_;
        auto* tabs = sut.findChild<QTabWidget*>("script_tabs");
        sut.script_panel().run_script(write_script("forever.py", ui::test::FOREVER_SCRIPT));
        QTRY_VERIFY_WITH_TIMEOUT(sut.script_panel().log_text().contains("pid "), 10000);
        const qint64 pid = ui::test::printed_pid(sut.script_panel().log_text());

        Q_EMIT tabs->tabCloseRequested(0);

        QCOMPARE(tabs->count(), 0);
        QCOMPARE(sut.scripts().running_count(), 0);
        QVERIFY(!ui::test::process_exists(pid));
    }

    void closingTheWindowEndsEveryScriptAndLeavesNoProcessBehind() {
        MainWindow& sut = *window_;
        click(sut, "start");
        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        QList<qint64> pids;
        for (const char* name : {"one.py", "two.py", "three.py"}) {
            sut.script_panel().run_script(write_script(name, ui::test::FOREVER_SCRIPT));
            QTRY_VERIFY_WITH_TIMEOUT(sut.script_panel().log_text().contains("pid "), 10000);
            pids.append(ui::test::printed_pid(sut.script_panel().log_text()));
        }
        QCOMPARE(sut.scripts().running_count(), 3);

        QVERIFY(sut.close());

        QCOMPARE(sut.scripts().running_count(), 0);
        for (const qint64 pid : pids) {
            QVERIFY2(!ui::test::process_exists(pid), qPrintable(QString::number(pid)));
        }
        QVERIFY(!segment_exists(form_.name));
    }

    void stopAsksOnceForAllRunningScriptsAndEndsThemAll() {
        MainWindow& sut = *window_;
        click(sut, "start");
        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        sut.script_panel().run_script(write_script("one.py", ui::test::FOREVER_SCRIPT));
        sut.script_panel().run_script(write_script("two.py", ui::test::FOREVER_SCRIPT));
        QString asked;
        QTimer::singleShot(100, [&asked] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (box != nullptr) {
                asked = box->text();
                box->findChild<QPushButton*>("stop_both")->click();
            }
        });

        click(sut, "stop");

        QVERIFY2(asked.startsWith("2 scripts are running"), qPrintable(asked));
        QCOMPARE(sut.scripts().running_count(), 0);
        QCOMPARE(sut.findChild<QTabWidget*>("script_tabs")->count(), 2);  // their logs stay
    }

    void recentScriptsAreRememberedNewestFirstAndRunFromTheMenu() {
        MainWindow& sut = *window_;
        const QString older = write_script("older.py", "print('older ran')\n");
        const QString newer = write_script("newer.py", "print('newer ran')\n");
        const QString gone = write_script("gone.py", "print('gone ran')\n");
        for (const QString& script : {gone, older, newer}) {
            sut.script_panel().run_script(script);
        }
        QTRY_COMPARE_WITH_TIMEOUT(sut.scripts().running_count(), 0, 10000);
        QCOMPARE(settings_->value("script/recent").toStringList(),
                 QStringList({newer, older, gone}));
        QVERIFY(QFile::remove(gone));
        auto* menu = sut.findChild<QMenu*>("recent_scripts_menu");

        Q_EMIT menu->aboutToShow();

        const QList<QAction*> entries = menu->actions();
        QVERIFY(entries.size() >= 3);
        QCOMPARE(entries[0]->text(), QString("&1 newer.py"));
        QCOMPARE(entries[1]->text(), QString("&2 older.py"));
        QCOMPARE(entries[2]->text(), QString("&3 gone.py (missing)"));
        QVERIFY(entries[1]->isEnabled());
        QVERIFY(!entries[2]->isEnabled());

        entries[1]->trigger();

        QTRY_VERIFY_WITH_TIMEOUT(sut.script_panel().log_text().contains("older ran"), 10000);
        QCOMPARE(sut.findChild<QTabWidget*>("script_tabs")->count(), 4);
        QCOMPARE(settings_->value("script/recent").toStringList(),
                 QStringList({older, newer, gone}));
    }

    void theNextRunOffersTheRecentScriptsThatAreStillThere() {
        const QString kept = write_script("kept.py", "print(1)\n");
        settings_->setValue("script/recent", QStringList{kept, dir_.filePath("gone.py")});

        MainWindow sut(*settings_);

        auto* script = sut.findChild<QComboBox*>("script");
        QVERIFY(script->findData(kept) >= 0);
        QCOMPARE(script->findData(dir_.filePath("gone.py")), -1);
        QCOMPARE(sut.script_panel().recent().size(), 2);
    }

    void ctrl1ShowsTheFrameAtItsOwnPixelsScrolledAndCtrl0FitsItAgain() {
        MainWindow& sut = *window_;
        form_.size = "1920x1080";
        sut.source_panel().set_form(form_);
        sut.resize(1100, 800);
        auto* area = sut.findChild<QScrollArea*>("preview_area");
        QSignalSpy frames(&sut.controller().poller(), &ui::FramePoller::frame_ready);
        click(sut, "start");
        QVERIFY(frames.wait(START_TIMEOUT_MS));
        QVERIFY(sut.preview().image_size().width() < 1920);

        QTest::keyClick(&sut, Qt::Key_1, Qt::ControlModifier);

        QTRY_COMPARE_WITH_TIMEOUT(sut.preview().image_size(), QSize(1920, 1080), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(area->horizontalScrollBar()->maximum() > 0, 5000);
        QVERIFY(area->verticalScrollBar()->maximum() > 0);
        QVERIFY(sut.findChild<QAction*>("zoom_actual_action")->isChecked());
        area->horizontalScrollBar()->setValue(200);
        area->verticalScrollBar()->setValue(100);
        drag(sut.preview(), QPoint(300, 200), QPoint(260, 170));
        QCOMPARE(area->horizontalScrollBar()->value(), 240);
        QCOMPARE(area->verticalScrollBar()->value(), 130);

        QTest::keyClick(&sut, Qt::Key_0, Qt::ControlModifier);

        QTRY_VERIFY_WITH_TIMEOUT(sut.preview().image_size().width() <= area->viewport()->width(),
                                 5000);
        QCOMPARE(area->horizontalScrollBar()->maximum(), 0);
        QCOMPARE(area->verticalScrollBar()->maximum(), 0);
        QVERIFY(sut.findChild<QAction*>("zoom_fit_action")->isChecked());
    }

    void stoppingAt1To1BringsTheMessageBackIntoView() {
        MainWindow& sut = *window_;
        form_.size = "1920x1080";
        sut.source_panel().set_form(form_);
        auto* area = sut.findChild<QScrollArea*>("preview_area");
        sut.set_preview_zoom(ui::PreviewWidget::Zoom::Actual);
        click(sut, "start");
        QTRY_COMPARE_WITH_TIMEOUT(sut.preview().image_size(), QSize(1920, 1080), START_TIMEOUT_MS);
        QTRY_VERIFY_WITH_TIMEOUT(area->horizontalScrollBar()->maximum() > 0, 5000);

        click(sut, "stop");

        QTRY_COMPARE_WITH_TIMEOUT(area->horizontalScrollBar()->maximum(), 0, 5000);
        QCOMPARE(sut.preview().size(), area->viewport()->size());
        QCOMPARE(sut.preview().zoom(), ui::PreviewWidget::Zoom::Actual);
    }

    void theWindowFitsIn900PixelsWithLongErrorsAndLongStatus() {
        MainWindow& sut = *window_;
        const QString long_words = "Could not start capture: file '" + QString(40, 'd') + "/" +
                                   QString(60, 'f') + ".mp4': no such file.";
        sut.source_panel().show_error(long_words);
        sut.source_panel().show_note(long_words);
        sut.status_line().show_stream_state(long_words);

        sut.resize(900, 700);
        QApplication::processEvents();

        QVERIFY2(sut.minimumSizeHint().width() <= 900,
                 qPrintable(QString::number(sut.minimumSizeHint().width())));
        QCOMPARE(sut.width(), 900);
    }

    void ctrlSSavesTheNewestFrameAtItsOwnSizeWithItsMetadata() {
        MainWindow& sut = *window_;
        sut.set_snapshot_dir(dir_.filePath("snapshots"));
        QSignalSpy frames(&sut.controller().poller(), &ui::FramePoller::frame_ready);
        click(sut, "start");
        QVERIFY(frames.wait(START_TIMEOUT_MS));

        QTest::keyClick(&sut.preview(), Qt::Key_S, Qt::ControlModifier);

        const QStringList saved = QDir(dir_.filePath("snapshots")).entryList({"*.png"});
        QCOMPARE(saved.size(), 1);
        const QImage image(dir_.filePath("snapshots/" + saved.at(0)));
        QCOMPARE(image.size(), QSize(320, 240));
        QFile meta(dir_.filePath("snapshots/" + QString(saved.at(0)).replace(".png", ".json")));
        QVERIFY(meta.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(meta.readAll()).object();
        QVERIFY(json["seq"].toInteger() > 0);
        QVERIFY(QString(saved.at(0))
                    .startsWith(QString("framebridge-%1-").arg(json["seq"].toInteger())));
        QCOMPARE(json["width"].toInt(), 320);
        QVERIFY(json["source"].toString().startsWith("synthetic 320x240"));
        QVERIFY(json["capture_ns"].toInteger() > 0);
    }

    void ctrlIShowsTheFramesSizeAndNumberOverThePreview() {
        MainWindow& sut = *window_;
        QSignalSpy frames(&sut.controller().poller(), &ui::FramePoller::frame_ready);
        click(sut, "start");
        QVERIFY(frames.wait(START_TIMEOUT_MS));
        QCOMPARE(sut.preview().overlay(), QString());

        QTest::keyClick(&sut.preview(), Qt::Key_I, Qt::ControlModifier);

        QVERIFY(frames.wait(START_TIMEOUT_MS));
        const QString sut_text = sut.preview().overlay();
        QVERIFY2(sut_text.startsWith("320x240 · ") &&
                     sut_text.contains(QString("frame %1").arg(frames.last().at(1).toULongLong())),
                 qPrintable(sut_text));
    }

    void spaceStartsAndStopsTheCapture() {
        MainWindow& sut = *window_;
        QApplication::setActiveWindow(&sut);
        QVERIFY(QTest::qWaitForWindowActive(&sut));
        QCOMPARE(QApplication::focusWidget(), &sut.preview());

        QTest::keyClick(&sut.preview(), Qt::Key_Space);
        QTRY_COMPARE_WITH_TIMEOUT(sut.controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        QTest::keyClick(&sut.preview(), Qt::Key_Space);

        QCOMPARE(sut.controller().state(), CaptureController::State::Stopped);
    }

    void doubleClickShowsThePreviewAloneOnTheWholeScreenAndF11Leaves() {
        MainWindow& sut = *window_;
        QWidget* form = &sut.source_panel();

        QTest::mouseDClick(&sut.preview(), Qt::LeftButton);

        QVERIFY(sut.preview_full_screen());
        QVERIFY(sut.windowState() & Qt::WindowFullScreen);
        QVERIFY(!form->isVisible());
        QVERIFY(sut.preview().isVisible());
        QApplication::setActiveWindow(&sut);
        QVERIFY(QTest::qWaitForWindowActive(&sut));

        QTest::keyClick(&sut.preview(), Qt::Key_F11);

        QVERIFY(!sut.preview_full_screen());
        QVERIFY(!(sut.windowState() & Qt::WindowFullScreen));
        QVERIFY(form->isVisible());
    }

#ifdef FRAMEBRIDGE_TEST_MEDIA
    void theEndOfAFileIsSaidEverywhereAndItPlaysAgain() {
        const QString clip = dir_.filePath("clip.avi");
        framebridge::test::write_sample_video(clip.toStdString(), "MJPG", cv::Size(64, 48), 6,
                                              30.0);
        MainWindow& sut = *window_;
        ui::CaptureForm file = form_;
        file.source = ui::choice_from_spec(clip);
        file.size = "640x480";
        file.fps = "";
        sut.source_panel().set_form(file);
        auto* ended = sut.findChild<QWidget*>("ended");

        click(sut, "start");

        QTRY_VERIFY_WITH_TIMEOUT(ended->isVisible(), START_TIMEOUT_MS);
        QVERIFY2(sut.status_line().state_text().startsWith("The file ended"),
                 qPrintable(sut.status_line().state_text()));
        const ui::StatsModel& stats = sut.stats_model();
        QCOMPARE(stats.data(stats.index(ui::StatsModel::CaptureFps, 1), Qt::DisplayRole).toString(),
                 QString("0.0"));
        QVERIFY2(sut.source_panel().note().contains("Size 640x480 is ignored"),
                 qPrintable(sut.source_panel().note()));

        click(sut, "play_again");

        QTRY_VERIFY_WITH_TIMEOUT(!ended->isVisible(), START_TIMEOUT_MS);
        QTRY_VERIFY_WITH_TIMEOUT(ended->isVisible(), START_TIMEOUT_MS);  // six frames later
        QCOMPARE(sut.controller().state(), CaptureController::State::Running);
    }
#endif

private:
    QString write_script(const QString& name, const QString& code) {
        return ui::test::write_script(dir_, name, code);
    }

    QTemporaryDir dir_;
    std::unique_ptr<QSettings> settings_;
    ui::CaptureForm form_;
    std::unique_ptr<MainWindow> window_;
};

FRAMEBRIDGE_UI_TEST(MainWindowTest)
#include "main_window_test.moc"
