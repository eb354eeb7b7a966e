#pragma once

#include <QString>
#include <QStringList>
#include <cstdint>

namespace framebridge::ui {

/// @brief Where the scripts the app runs get the Python SDK from, and where its examples are.
struct SdkLocation {
    QString python_path;   ///< the folder holding the framebridge package, for PYTHONPATH
    QString examples_dir;  ///< the example scripts
};

/// @brief The SDK as the app at `app_dir` sees it, the first of: $FRAMEBRIDGE_SDK_DIR (a
/// python_sdk folder: the package and examples/), the install layout relative to `app_dir`
/// (cmake/Install.cmake), the source tree this build was made from. Empty when none holds the
/// package: scripts then get the SDK only where their Python has it installed.
SdkLocation find_sdk(const QString& app_dir);

/// @brief find_sdk() for the app that is running, from its own folder.
SdkLocation find_sdk();

/// @brief The example scripts in `examples_dir`, sorted by name; none when it is empty.
QStringList example_scripts(const QString& examples_dir);

/// @brief A script's arguments as the user typed them, split like a shell would, with every
/// "{port}" replaced by the port the capture serves on.
QStringList script_arguments(const QString& typed, std::uint16_t port);

/// @brief PYTHONPATH with the SDK's folder first, so `import framebridge` finds it.
QString python_path_with_sdk(const QString& sdk_dir, const QString& python_path);

}  // namespace framebridge::ui
