#pragma once

#include <QWidget>

class QComboBox;

namespace framebridge::ui {

class StreamChoices;

/// @brief The row above the preview that picks the stream it shows.
class StreamPicker : public QWidget {
    Q_OBJECT

public:
    explicit StreamPicker(QWidget* parent = nullptr);

    /// @brief Lists `choices`' entries with its chosen one current; emits nothing.
    void show_choices(const StreamChoices& choices);
    QComboBox* combo() const noexcept { return combo_; }

Q_SIGNALS:
    /// @brief The user picked the stream `name`.
    void picked(const QString& name);

private:
    QComboBox* combo_;
};

}  // namespace framebridge::ui
