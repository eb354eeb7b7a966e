#include "controllers/script_runner.hpp"
#include "models/script_catalog.hpp"
#include "support/ui_test.hpp"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace framebridge::ui;

namespace {

const QString PYTHON = "/usr/bin/python3";

QString write_script(const QTemporaryDir& dir, const QString& name, const QString& code) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        QTextStream(&file) << code;
    }
    return path;
}

QString joined(const QSignalSpy& spy) {
    QString all;
    for (const auto& args : spy) {
        all += args.at(0).toString();
    }
    return all;
}

}  // namespace

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
        QSignalSpy finished(&sut, &ScriptRunner::finished);

        sut.run(PYTHON, script, {"--port", "7600"});

        QVERIFY(finished.wait(10000));
        QVERIFY2(joined(output).contains("hello ['--port', '7600']"), qPrintable(joined(output)));
        QVERIFY(joined(output).contains("to stderr"));
        QCOMPARE(finished.at(0).at(0).toString(), QString("exited with code 3"));
        QVERIFY(!sut.is_running());
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

    void aMissingInterpreterIsReported() {
        ScriptRunner sut;
        QSignalSpy finished(&sut, &ScriptRunner::finished);

        sut.run("/nonexistent/python3", "/tmp/x.py", {});

        QVERIFY(finished.count() == 1 || finished.wait(5000));
        QVERIFY2(finished.at(0).at(0).toString().startsWith("could not start /nonexistent/python3"),
                 qPrintable(finished.at(0).at(0).toString()));
    }
};

FRAMEBRIDGE_UI_TEST(ScriptRunnerTest)
#include "script_runner_test.moc"
