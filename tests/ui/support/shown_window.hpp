#pragma once

#include "models/capture_form.hpp"
#include "widgets/main_window.hpp"
#include "widgets/source_panel.hpp"

#include <QSettings>
#include <QTemporaryDir>
#include <memory>

namespace framebridge::ui::test {

/// @brief Settings in `dir` that start empty, whatever an earlier test left there.
inline std::unique_ptr<QSettings> empty_settings(const QTemporaryDir& dir) {
    auto settings =
        std::make_unique<QSettings>(dir.filePath("framebridge.ini"), QSettings::IniFormat);
    settings->clear();
    return settings;
}

/// @brief The window over `settings`, shown, with `form` in its capture form.
inline std::unique_ptr<MainWindow> shown_window(QSettings& settings, const CaptureForm& form) {
    auto window = std::make_unique<MainWindow>(settings);
    window->source_panel().set_form(form);
    window->show();
    return window;
}

}  // namespace framebridge::ui::test
