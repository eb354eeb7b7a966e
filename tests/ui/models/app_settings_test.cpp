#include "models/app_settings.hpp"
#include "models/python_interpreter.hpp"
#include "support/ui_test.hpp"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace framebridge::ui;

class AppSettingsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(dir_.isValid()); }

    void aFreshSettingsFileGivesTheDefaults() {
        const QSettings settings(dir_.filePath("fresh.ini"), QSettings::IniFormat);

        const CaptureForm form = load_form(settings);
        const ScriptChoice script = load_script(settings);

        QCOMPARE(to_spec(form.source), QString("synthetic"));
        QCOMPARE(form.port, 7600);
        QCOMPARE(form.size, QString());
        QCOMPARE(script.arguments, QString("--port {port}"));
        QCOMPARE(script.python, default_python());
        QVERIFY(load_layout(settings).geometry.isEmpty());
    }

    void theRecentScriptsComeBackInTheirOrder() {
        {
            QSettings settings(dir_.filePath("recent.ini"), QSettings::IniFormat);
            QVERIFY(load_recent_scripts(settings).isEmpty());
            save_recent_scripts(settings, {"/b/last.py", "/a/before.py"});
        }

        const QSettings sut(dir_.filePath("recent.ini"), QSettings::IniFormat);

        QCOMPARE(load_recent_scripts(sut), QStringList({"/b/last.py", "/a/before.py"}));
    }

    void whatIsSavedComesBackInTheNextRun() {
        CaptureForm form;
        form.source = choice_from_spec("rtsp://cam/stream");
        form.size = "1280x720";
        form.fps = "15";
        form.fourcc = "MJPG";
        form.loop = true;
        form.port = 7700;
        form.name = "cam";
        form.slots = 6;
        form.rtsp_port = 8554;
        const ScriptChoice script{"/tmp/x.py", "--port {port} -v", "/opt/venv/bin/python"};
        const WindowLayout layout{"geometry", {"one", "two"}};
        {
            QSettings settings(dir_.filePath("run.ini"), QSettings::IniFormat);
            save_form(settings, form);
            save_script(settings, script);
            save_layout(settings, layout);
        }

        const QSettings sut(dir_.filePath("run.ini"), QSettings::IniFormat);

        const CaptureForm loaded = load_form(sut);
        QCOMPARE(to_spec(loaded.source), QString("rtsp://cam/stream"));
        QCOMPARE(loaded.size, form.size);
        QCOMPARE(loaded.fps, form.fps);
        QCOMPARE(loaded.fourcc, form.fourcc);
        QCOMPARE(loaded.loop, true);
        QCOMPARE(loaded.port, 7700);
        QCOMPARE(loaded.name, form.name);
        QCOMPARE(loaded.slots, 6);
        QCOMPARE(loaded.rtsp_port, 8554);
        QCOMPARE(load_script(sut).path, script.path);
        QCOMPARE(load_script(sut).arguments, script.arguments);
        QCOMPARE(load_script(sut).python, script.python);
        QCOMPARE(load_layout(sut).geometry, layout.geometry);
        QCOMPARE(load_layout(sut).splitters, layout.splitters);
    }

    void anUnfinishedSourceIsSavedAsTheSyntheticOne() {
        CaptureForm form;
        form.source.kind = framebridge::app::SourceSpec::Kind::File;  // and no file chosen
        QSettings settings(dir_.filePath("unfinished.ini"), QSettings::IniFormat);

        save_form(settings, form);

        QCOMPARE(to_spec(load_form(settings).source), QString("synthetic"));
    }

private:
    QTemporaryDir dir_;
};

FRAMEBRIDGE_UI_TEST(AppSettingsTest)
#include "app_settings_test.moc"
