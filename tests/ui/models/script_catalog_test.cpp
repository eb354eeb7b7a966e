#include "models/script_catalog.hpp"
#include "support/ui_test.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using framebridge::ui::test::add_row;

using namespace framebridge::ui;

namespace {

void touch(const QString& path) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
}

}  // namespace

class ScriptCatalogTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fromTheBuildTreeTheSdkOfTheSourceTreeIsFound() {
        const SdkLocation sut = find_sdk(QCoreApplication::applicationDirPath());

        QVERIFY2(QFile::exists(sut.python_path + "/framebridge/__init__.py"),
                 qPrintable(sut.python_path));
        QCOMPARE(sut.examples_dir, sut.python_path + "/examples");
    }

    void installedTheSdkIsFoundRelativeToTheApp() {
        QTemporaryDir prefix;
        const QDir root(prefix.path());
        QVERIFY(root.mkpath(FRAMEBRIDGE_INSTALL_BINDIR));
        QVERIFY(root.mkpath(FRAMEBRIDGE_INSTALL_PYTHONDIR "/framebridge"));
        touch(root.filePath(FRAMEBRIDGE_INSTALL_PYTHONDIR "/framebridge/__init__.py"));

        const SdkLocation sut = find_sdk(root.filePath(FRAMEBRIDGE_INSTALL_BINDIR));

        QCOMPARE(sut.python_path, root.filePath(FRAMEBRIDGE_INSTALL_PYTHONDIR));
        QCOMPARE(sut.examples_dir, root.filePath(FRAMEBRIDGE_INSTALL_EXAMPLESDIR));
    }

    void theSdkDirFromTheEnvironmentComesFirst() {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath("framebridge"));
        touch(dir.filePath("framebridge/__init__.py"));
        qputenv("FRAMEBRIDGE_SDK_DIR", dir.path().toUtf8());

        const SdkLocation sut = find_sdk(QCoreApplication::applicationDirPath());

        qunsetenv("FRAMEBRIDGE_SDK_DIR");
        QCOMPARE(sut.python_path, dir.path());
        QCOMPARE(sut.examples_dir, dir.filePath("examples"));
    }

    void examplesArePythonFilesSortedByName() {
        QTemporaryDir dir;
        for (const char* name : {"b.py", "a.py", "notes.txt"}) {
            touch(dir.filePath(name));
        }

        const QStringList sut = example_scripts(dir.path());

        QCOMPARE(sut, (QStringList{dir.filePath("a.py"), dir.filePath("b.py")}));
        QVERIFY(example_scripts({}).isEmpty());
    }

    void theShippedExamplesAreOffered() {
        const QStringList sut = example_scripts(find_sdk().examples_dir);

        QVERIFY(sut.size() >= 3);
        QVERIFY(sut.filter("print_frames.py").size() == 1);
    }

    void argumentsAreSplitAndGetThePort_data() {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("arguments");
        add_row("the default", "--port {port}", QStringList{"--port", "7601"});
        add_row("quoted", R"(--title "a b" --port={port})",
                QStringList{"--title", "a b", "--port=7601"});
        add_row("none", "", QStringList{});
    }

    void argumentsAreSplitAndGetThePort() {
        QFETCH(QString, typed);
        QFETCH(QStringList, arguments);

        QCOMPARE(script_arguments(typed, 7601), arguments);
    }

    void theSdkGoesFirstOnThePythonPath() {
        QCOMPARE(python_path_with_sdk("/sdk", ""), QString("/sdk"));
        QCOMPARE(python_path_with_sdk("/sdk", "/other"), QString("/sdk:/other"));
        QCOMPARE(python_path_with_sdk("", "/other"), QString("/other"));
    }
};

FRAMEBRIDGE_UI_TEST(ScriptCatalogTest)
#include "script_catalog_test.moc"
