#include "models/script_catalog.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>

namespace framebridge::ui {

namespace {

bool holds_sdk(const QString& python_path) {
    return !python_path.isEmpty() && QFileInfo::exists(python_path + "/framebridge/__init__.py");
}

SdkLocation sdk_tree(const QString& dir) {
    return {QDir::cleanPath(QDir(dir).absolutePath()),
            QDir::cleanPath(QDir(dir).absoluteFilePath("examples"))};
}

}  // namespace

SdkLocation find_sdk(const QString& app_dir) {
    const QString from_env = QProcessEnvironment::systemEnvironment().value("FRAMEBRIDGE_SDK_DIR");
    const QDir app(app_dir);
    const SdkLocation candidates[] = {
        from_env.isEmpty() ? SdkLocation{} : sdk_tree(from_env),
        {QDir::cleanPath(app.absoluteFilePath(FRAMEBRIDGE_BINDIR_TO_PYTHONDIR)),
         QDir::cleanPath(app.absoluteFilePath(FRAMEBRIDGE_BINDIR_TO_EXAMPLESDIR))},
        sdk_tree(FRAMEBRIDGE_SDK_DIR),
    };
    for (const SdkLocation& candidate : candidates) {
        if (holds_sdk(candidate.python_path)) {
            return candidate;
        }
    }
    return {};
}

SdkLocation find_sdk() {
    return find_sdk(QCoreApplication::applicationDirPath());
}

QStringList example_scripts(const QString& examples_dir) {
    if (examples_dir.isEmpty()) {
        return {};
    }
    const QDir examples(examples_dir);
    QStringList scripts;
    for (const QString& name : examples.entryList({"*.py"}, QDir::Files, QDir::Name)) {
        scripts.append(examples.filePath(name));
    }
    return scripts;
}

QStringList script_arguments(const QString& typed, std::uint16_t port) {
    QStringList arguments = QProcess::splitCommand(typed);
    for (QString& argument : arguments) {
        argument.replace("{port}", QString::number(port));
    }
    return arguments;
}

QString python_path_with_sdk(const QString& sdk_dir, const QString& python_path) {
    if (sdk_dir.isEmpty()) {
        return python_path;
    }
    return python_path.isEmpty() ? sdk_dir : sdk_dir + QDir::listSeparator() + python_path;
}

}  // namespace framebridge::ui
