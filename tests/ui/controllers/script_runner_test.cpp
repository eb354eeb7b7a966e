#include "controllers/script_runner.hpp"
#include "controllers/capture_controller.hpp"
#include "models/script_catalog.hpp"
#include "support/script_file.hpp"
#include "support/small_capture.hpp"
#include "support/ui_test.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace framebridge::ui::test;
using namespace framebridge::ui;

class ScriptRunnerTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void passesOnWhatTheScriptPrintsAndHowItEnded() {
        QTemporaryDir dir;
        const QString script = write_script(dir, "hello.py", R"(
import sys, framebridge
print("hello", sys.argv[1:])
print("to stderr", file=sys.stderr)
sys.exit(3)
)");
        ScriptRunner sut(find_sdk().python_path);
        QSignalSpy output(&sut, &ScriptRunner::output);
        QSignalSpy errors(&sut, &ScriptRunner::error_output);
        QSignalSpy finished(&sut, &ScriptRunner::finished);

        sut.run(PYTHON, script, {"--port", "7600"});

        QVERIFY(finished.wait(10000));
        QVERIFY2(joined(output).contains("hello ['--port', '7600']"), qPrintable(joined(output)));
        QVERIFY(!joined(output).contains("to stderr"));
        QCOMPARE(joined(errors), QString("to stderr\n"));
        QCOMPARE(finished.at(0).at(0).toString(), QString("exited with code 3"));
        QVERIFY(!sut.is_running());
        QVERIFY(sut.failed());
    }

    void stopEndsAScriptThatWouldRunForever() {
        QTemporaryDir dir;
        const QString script = write_script(dir, "forever.py", R"(
import time
print("started")
while True:
    time.sleep(0.05)
)");
        ScriptRunner sut;
        QSignalSpy output(&sut, &ScriptRunner::output);
        QSignalSpy finished(&sut, &ScriptRunner::finished);
        sut.run(PYTHON, script, {});
        QTRY_VERIFY_WITH_TIMEOUT(joined(output).contains("started"), 10000);

        sut.stop();

        QVERIFY(finished.wait(ScriptRunner::STOP_GRACE_MS + 5000));
        QCOMPARE(finished.at(0).at(0).toString(), QString("stopped"));
        QVERIFY(!sut.failed());
    }

    void aScriptThatIgnoresTheStopIsKilledAfterTheGrace() {
        QTemporaryDir dir;
        const QString script = write_script(dir, "stubborn.py", R"(
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ignoring", flush=True)
while True:
    time.sleep(0.05)
)");
        ScriptRunner sut;
        QSignalSpy output(&sut, &ScriptRunner::output);
        QSignalSpy finished(&sut, &ScriptRunner::finished);
        sut.run(PYTHON, script, {});
        QTRY_VERIFY_WITH_TIMEOUT(joined(output).contains("ignoring"), 10000);

        sut.stop_and_wait();

        QVERIFY(!sut.is_running());
        QVERIFY(finished.count() == 1 || finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).toString(), QString("stopped"));
    }

    void aScriptInheritsOnlyStdinStdoutAndStderr() {
        QTemporaryDir dir;
        const QString script = write_script(dir, "fds.py", R"(
import os
print("open:", [fd for fd in range(3, 1024) if os.path.exists(f"/proc/self/fd/{fd}")])
)");
        const int inheritable = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC, as a library might
        ScriptRunner sut;
        QSignalSpy output(&sut, &ScriptRunner::output);
        QSignalSpy finished(&sut, &ScriptRunner::finished);

        sut.run(PYTHON, script, {});

        QVERIFY(finished.wait(10000));
        ::close(inheritable);
        QVERIFY2(joined(output).contains("open: []"), qPrintable(joined(output)));
    }

    void aScriptWithReconnectFollowsACaptureStartedAgainOnTheSamePort() {
        QTemporaryDir dir;
        const QString script = write_script(dir, "follow.py", R"(
import sys, framebridge as fb
client = fb.connect(port=int(sys.argv[1]), reconnect=True)
with client.latest(timeout=10) as frame:
    print("first", frame.seq)
while client.reconnects == 0:
    try:
        with client.latest(timeout=1.0):
            pass
    except fb.Timeout:
        pass
with client.latest(timeout=10) as frame:
    print("reconnected", client.reconnects)
)");
        CaptureController capture;
        QSignalSpy started(&capture, &CaptureController::started);
        CaptureForm form = test::small_form();
        capture.start(form);
        QVERIFY(started.wait(10000));
        form.port = capture.info().port;
        ScriptRunner sut(find_sdk().python_path);
        QSignalSpy output(&sut, &ScriptRunner::output);
        QSignalSpy finished(&sut, &ScriptRunner::finished);
        sut.run(PYTHON, script, {QString::number(form.port)});
        QTRY_VERIFY2_WITH_TIMEOUT(joined(output).contains("first"), qPrintable(joined(output)),
                                  10000);

        capture.stop();
        QSignalSpy failed(&capture, &CaptureController::failed);
        capture.start(form);

        QVERIFY2(started.wait(10000), qPrintable(failed.isEmpty() ? QString("no start")
                                                                  : failed.at(0).at(0).toString()));
        QVERIFY(finished.count() == 1 || finished.wait(20000));
        QVERIFY2(joined(output).contains("reconnected 1"), qPrintable(joined(output)));
        QCOMPARE(finished.at(0).at(0).toString(), QString("exited with code 0"));
        QVERIFY(!sut.failed());
        capture.stop();
    }

    void aMissingInterpreterIsReported() {
        ScriptRunner sut;
        QSignalSpy finished(&sut, &ScriptRunner::finished);

        sut.run("/nonexistent/python3", "/tmp/x.py", {});

        QVERIFY(finished.count() == 1 || finished.wait(5000));
        QVERIFY2(finished.at(0).at(0).toString().startsWith("could not start /nonexistent/python3"),
                 qPrintable(finished.at(0).at(0).toString()));
        QVERIFY(sut.failed());
    }
};

FRAMEBRIDGE_UI_TEST(ScriptRunnerTest)
#include "script_runner_test.moc"
