#include "controllers/script_set.hpp"
#include "support/script_file.hpp"
#include "support/ui_test.hpp"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace framebridge::ui::test;
using namespace framebridge::ui;

class ScriptSetTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void severalScriptsRunAtOnceAndOneStopsAlone() {
        QTemporaryDir dir;
        const QString script = write_script(dir, "forever.py", FOREVER_SCRIPT);
        ScriptSet sut;
        QSignalSpy added(&sut, &ScriptSet::added);

        ScriptRunner& first = sut.run(PYTHON, script, {});
        ScriptRunner& second = sut.run(PYTHON, script, {});

        QCOMPARE(added.count(), 2);
        QCOMPARE(sut.running_count(), 2);
        QSignalSpy first_finished(&first, &ScriptRunner::finished);
        first.stop();
        QVERIFY(first_finished.wait(ScriptRunner::STOP_GRACE_MS + 5000));
        QCOMPARE(sut.running_count(), 1);
        QVERIFY(second.is_running());
    }

    void stopAllLeavesNoScriptProcessBehind() {
        QTemporaryDir dir;
        const QString forever = write_script(dir, "forever.py", FOREVER_SCRIPT);
        const QString stubborn = write_script(dir, "stubborn.py", R"(
import os, signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("pid", os.getpid(), flush=True)
while True:
    time.sleep(0.05)
)");
        ScriptSet sut;
        QList<qint64> pids;
        for (const QString& script : {forever, stubborn, forever}) {
            ScriptRunner& runner = sut.run(PYTHON, script, {});
            QSignalSpy output(&runner, &ScriptRunner::output);
            QTRY_VERIFY_WITH_TIMEOUT(printed_pid(joined(output)) != 0, 10000);
            pids.append(printed_pid(joined(output)));
        }

        sut.stop_all_and_wait();

        QCOMPARE(sut.running_count(), 0);
        for (const qint64 pid : pids) {
            QVERIFY2(!process_exists(pid), qPrintable(QString::number(pid)));
        }
    }

    void removingARunningScriptStopsIt() {
        QTemporaryDir dir;
        ScriptSet sut;
        ScriptRunner& runner = sut.run(PYTHON, write_script(dir, "forever.py", FOREVER_SCRIPT), {});
        QSignalSpy output(&runner, &ScriptRunner::output);
        QTRY_VERIFY_WITH_TIMEOUT(printed_pid(joined(output)) != 0, 10000);
        const qint64 pid = printed_pid(joined(output));

        sut.remove(runner);

        QCOMPARE(sut.size(), 0);
        QVERIFY(!process_exists(pid));
    }

    void destroyingTheSetEndsItsScripts() {
        QTemporaryDir dir;
        auto sut = std::make_unique<ScriptSet>();
        ScriptRunner& runner =
            sut->run(PYTHON, write_script(dir, "forever.py", FOREVER_SCRIPT), {});
        QSignalSpy output(&runner, &ScriptRunner::output);
        QTRY_VERIFY_WITH_TIMEOUT(printed_pid(joined(output)) != 0, 10000);
        const qint64 pid = printed_pid(joined(output));

        sut.reset();

        QVERIFY(!process_exists(pid));
    }
};

FRAMEBRIDGE_UI_TEST(ScriptSetTest)
#include "script_set_test.moc"
