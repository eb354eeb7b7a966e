#include "models/python_interpreter.hpp"
#include "support/ui_test.hpp"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace framebridge::ui;

namespace {

// A stand-in interpreter that answers every command with `exit_code`, as a Python with
// (0) or without (1) numpy answers `-c "import numpy"`.
QString fake_python(const QTemporaryDir& dir, const QString& name, int exit_code) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(QString("#!/bin/sh\nexit %1\n").arg(exit_code).toUtf8());
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    return path;
}

}  // namespace

class PythonInterpreterTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(dir_.isValid()); }

    void theFirstCandidateThatImportsNumpyIsChosen() {
        const QStringList candidates{fake_python(dir_, "without", 1), fake_python(dir_, "with", 0),
                                     fake_python(dir_, "also-with", 0)};

        QCOMPARE(first_python_with_numpy(candidates), candidates.at(1));
    }

    void whenNoneCanTheFirstIsKeptSoItsErrorShows() {
        const QStringList candidates{fake_python(dir_, "without", 1), dir_.filePath("missing")};

        QCOMPARE(first_python_with_numpy(candidates), candidates.at(0));
        QCOMPARE(first_python_with_numpy({}), QString("python3"));
    }

    void aMissingInterpreterCannotImportNumpy() {
        QVERIFY(!can_import_numpy(dir_.filePath("missing")));
        QVERIFY(!can_import_numpy(fake_python(dir_, "without", 1)));
    }

    void debiansPythonComesFirstThenTheOneOnPath() {
        const QString on_path = fake_python(dir_, "python3", 0);
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", dir_.path().toUtf8());

        const QStringList sut = python_candidates();

        qputenv("PATH", path);
        QCOMPARE(sut, (QStringList{"/usr/bin/python3", on_path}));
    }

    void debiansPythonIsNotTriedTwice() {
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", "/usr/bin");

        const QStringList sut = python_candidates();

        qputenv("PATH", path);
        QCOMPARE(sut, QStringList{"/usr/bin/python3"});
    }

    void theDefaultCanImportNumpy() {
        const QString sut = default_python();

        QVERIFY2(can_import_numpy(sut), qPrintable(sut));
    }

private:
    QTemporaryDir dir_;
};

FRAMEBRIDGE_UI_TEST(PythonInterpreterTest)
#include "python_interpreter_test.moc"
