// The framebridge executable as a user or a script starts it: its flags, --start, and the
// clean exit on SIGTERM that removes the segment.

#include "framebridge/shm/shared_segment.hpp"
#include "models/script_catalog.hpp"
#include "support/ui_test.hpp"
#include "support/unique_name.hpp"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using framebridge::ui::test::add_row;

namespace {

constexpr int TIMEOUT_MS = 15000;

std::uint16_t free_port() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost);
    return probe.serverPort();
}

}  // namespace

class AppBinaryTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QVERIFY(config_dir_.isValid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_CONFIG_HOME", config_dir_.path());  // never the user's settings
        app_.setProcessEnvironment(env);
    }

    void cleanup() {
        if (app_.state() != QProcess::NotRunning) {
            app_.kill();
            app_.waitForFinished(TIMEOUT_MS);
        }
    }

    void answersItsFlags_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exit_code");
        QTest::addColumn<QString>("output");
        add_row("help", QStringList{"--help"}, 0, "--start");
        add_row("version", QStringList{"--version"}, 0, "framebridge 0.1.0");
        add_row("bad size", QStringList{"--size", "big"}, 2,
                "framebridge: size 'big' is not WIDTHxHEIGHT");
        add_row("unknown flag", QStringList{"--nope"}, 2, "--nope");
    }

    void answersItsFlags() {
        QFETCH(QStringList, args);
        QFETCH(int, exit_code);
        QFETCH(QString, output);

        app_.start(FRAMEBRIDGE_APP_BINARY, args);

        QVERIFY(app_.waitForFinished(TIMEOUT_MS));
        const QString printed = app_.readAllStandardOutput() + app_.readAllStandardError();
        QCOMPARE(app_.exitCode(), exit_code);
        QVERIFY2(printed.contains(output), qPrintable(printed));
    }

    void startServesAClientAndSigtermRemovesTheSegment() {
        const std::uint16_t port = free_port();
        const QString name = QString::fromStdString(framebridge::test::unique_stream_name());
        const QString segment =
            QString::fromStdString(framebridge::shm::SharedSegment::location(name.toStdString()));
        app_.start(FRAMEBRIDGE_APP_BINARY, {"--start", "--size", "320x240", "--port",
                                            QString::number(port), "--name", name});
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(segment), TIMEOUT_MS);

        QProcess client;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("PYTHONPATH", framebridge::ui::find_sdk().python_path);
        client.setProcessEnvironment(env);
        client.start("/usr/bin/python3",
                     {framebridge::ui::find_sdk().examples_dir + "/print_frames.py", "--port",
                      QString::number(port), "--count", "3"});
        QVERIFY(client.waitForFinished(TIMEOUT_MS));
        const QString lines = client.readAllStandardOutput();
        QCOMPARE(client.exitCode(), 0);
        QCOMPARE(lines.count("seq "), 3);

        app_.terminate();

        QVERIFY(app_.waitForFinished(TIMEOUT_MS));
        const QString log = app_.readAllStandardError();
        QCOMPARE(app_.exitStatus(), QProcess::NormalExit);
        QVERIFY2(app_.exitCode() == 0, qPrintable(log));
        QVERIFY2(log.contains(QString("on 127.0.0.1:%1 as stream '%2'").arg(port).arg(name)),
                 qPrintable(log));
        QVERIFY(!QFile::exists(segment));
        QVERIFY2(QRegularExpression(R"(preview showed [1-9]\d* frames)").match(log).hasMatch(),
                 qPrintable(log));
    }

    // The README promises `make run` serves the 4K pattern at 30 fps; a saved form must not
    // change that. (On another port than 7600, so it runs beside anything else.)
    void runScriptServesThePatternWhateverTheLastRunSaved() {
        const QString port = QString::number(free_port());
        const QString name = QString::fromStdString(framebridge::test::unique_stream_name());
        app_.setReadChannel(QProcess::StandardError);
        app_.start(FRAMEBRIDGE_APP_BINARY,
                   {"--start", "--size", "320x240", "--fps", "5", "--port", port, "--name", name});
        QTRY_VERIFY_WITH_TIMEOUT(QString(app_.peek(1 << 16)).contains("serving"), TIMEOUT_MS);
        app_.terminate();
        QVERIFY(app_.waitForFinished(TIMEOUT_MS));
        QProcessEnvironment env = app_.processEnvironment();
        env.insert("DISPLAY", ":framebridge-offscreen");  // run.sh opens the app only with one
        env.insert("FRAMEBRIDGE_BIN_DIR", QFileInfo(FRAMEBRIDGE_APP_BINARY).absolutePath());
        app_.setProcessEnvironment(env);

        const QString other = QString::fromStdString(framebridge::test::unique_stream_name());
        app_.start(FRAMEBRIDGE_RUN_SCRIPT, {"--port", port, "--name", other});

        QTRY_VERIFY_WITH_TIMEOUT(QString(app_.peek(1 << 16)).contains("serving"), TIMEOUT_MS);
        app_.terminate();
        QVERIFY(app_.waitForFinished(TIMEOUT_MS));
        const QString log = app_.readAllStandardError();
        QVERIFY2(log.contains(QString("serving synthetic 3840x2160 BGR8 at 30 fps on "
                                      "127.0.0.1:%1 as stream '%2'")
                                  .arg(port, other)),
                 qPrintable(log));
    }

private:
    QTemporaryDir config_dir_;
    QProcess app_;
};

FRAMEBRIDGE_UI_TEST(AppBinaryTest)
#include "app_binary_test.moc"
