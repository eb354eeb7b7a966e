#include "models/script_catalog.hpp"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>

namespace framebridge::ui {

namespace {

bool holds_sdk(const QString& dir) {
    return !dir.isEmpty() && QFileInfo::exists(dir + "/framebridge/__init__.py");
}

}  // namespace

QString find_sdk_dir() {
    const QString from_env = QProcessEnvironment::systemEnvironment().value("FRAMEBRIDGE_SDK_DIR");
    if (holds_sdk(from_env)) {
        return QDir(from_env).absolutePath();
    }
    return holds_sdk(FRAMEBRIDGE_SDK_DIR) ? QString(FRAMEBRIDGE_SDK_DIR) : QString();
}

QStringList example_scripts(const QString& sdk_dir) {
    if (sdk_dir.isEmpty()) {
        return {};
    }
    const QDir examples(sdk_dir + "/examples");
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
