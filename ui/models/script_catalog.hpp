#pragma once

#include <QString>
#include <QStringList>
#include <cstdint>

namespace framebridge::ui {

/// @brief The Python SDK's folder (the one holding the framebridge package and examples/):
/// $FRAMEBRIDGE_SDK_DIR if set, else the tree this build was made from; empty when neither
/// holds the package (scripts then need the SDK installed with pip).
QString find_sdk_dir();

/// @brief The SDK's example scripts, sorted by name; none when `sdk_dir` is empty.
QStringList example_scripts(const QString& sdk_dir);

/// @brief A script's arguments as the user typed them, split like a shell would, with every
/// "{port}" replaced by the port the capture serves on.
QStringList script_arguments(const QString& typed, std::uint16_t port);

/// @brief PYTHONPATH with the SDK's folder first, so `import framebridge` finds it.
QString python_path_with_sdk(const QString& sdk_dir, const QString& python_path);

}  // namespace framebridge::ui
