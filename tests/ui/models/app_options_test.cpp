#include "models/app_options.hpp"
#include "support/ui_test.hpp"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <vector>

using framebridge::ui::test::add_row;

using namespace framebridge::ui;

namespace {

ParsedAppOptions parse(const QStringList& args) {
    std::vector<std::string> storage{"framebridge"};
    for (const QString& arg : args) {
        storage.push_back(arg.toStdString());
    }
    std::vector<const char*> argv;
    for (const std::string& arg : storage) {
        argv.push_back(arg.c_str());
    }
    return parse_app_options(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

class AppOptionsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void takesTheServersFlagsAndStart() {
        const auto sut = parse({"--start", "--source", "camera:1", "--size", "640x480", "--fps",
                                "15", "--port", "0", "--name", "cam", "--slots", "4"});

        QVERIFY2(sut.options, sut.message.c_str());
        QVERIFY(sut.options->start);
        const auto& p = sut.options->server.pipeline;
        QCOMPARE(p.source, std::string("camera:1"));
        QCOMPARE(p.geometry->width, 640u);
        QCOMPARE(*p.fps, 15.0);
        QCOMPARE(p.port, 0);
        QCOMPARE(p.name, std::string("cam"));
        QCOMPARE(p.slots, 4u);
    }

    void recordsWhichFlagsWereGiven() {
        const auto sut = parse({"--size", "640x480", "--port", "7601"});

        QVERIFY(sut.options);
        QCOMPARE(sut.options->given, (std::set<std::string>{"--size", "--port"}));
        QVERIFY(!sut.options->start);
    }

    void takesAScriptToRunAndItsArguments() {
        QTemporaryDir dir;
        const QString script = dir.filePath("probe.py");
        QFile(script).open(QIODevice::WriteOnly);

        const auto sut = parse({"--script", script, "--script-args", "--port {port} --count 5"});

        QVERIFY2(sut.options, sut.message.c_str());
        QCOMPARE(QString::fromStdString(sut.options->script), script);
        QCOMPARE(sut.options->script_args, std::string("--port {port} --count 5"));
        QVERIFY(sut.options->given.count("--script-args") == 1);
    }

    void defaultsIsAFlagOfItsOwn() {
        const auto sut = parse({"--start", "--defaults"});

        QVERIFY(sut.options);
        QVERIFY(sut.options->defaults);
        QCOMPARE(sut.options->given, (std::set<std::string>{"--start", "--defaults"}));
    }

    void nothingGivenMeansTheDefaults() {
        const auto sut = parse({});

        QVERIFY(sut.options);
        QVERIFY(sut.options->given.empty());
        QCOMPARE(sut.options->server.pipeline.port, 7600);
    }

    void refusesBadFlagsInItsOwnName_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        add_row("bad size", QStringList{"--size", "big"}, "framebridge: size 'big'");
        add_row("unknown flag", QStringList{"--frobnicate"}, "--frobnicate");
        add_row("bad name", QStringList{"--name", "a/b"}, "framebridge: ");
        add_row("fps out of range", QStringList{"--fps", "5000"}, "--fps");
        add_row("missing script", QStringList{"--script", "/nonexistent/x.py"},
                "/nonexistent/x.py");
    }

    void refusesBadFlagsInItsOwnName() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);

        const auto sut = parse(args);

        QVERIFY(!sut.options);
        QCOMPARE(sut.exit_code, 2);
        QVERIFY2(QString::fromStdString(sut.message).contains(message), sut.message.c_str());
    }

    void helpNamesTheAppAndStart() {
        const auto sut = parse({"--help"});

        QVERIFY(!sut.options);
        QCOMPARE(sut.exit_code, 0);
        const QString help = QString::fromStdString(sut.message);
        QVERIFY2(help.contains("Usage: framebridge ") && help.contains("--start") &&
                     help.contains("--source"),
                 sut.message.c_str());
    }
};

FRAMEBRIDGE_UI_TEST(AppOptionsTest)
#include "app_options_test.moc"
