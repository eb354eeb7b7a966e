#pragma once

#include <QWidget>

class QLineEdit;

namespace framebridge::ui {

/// @brief The Python interpreter scripts run with: a path or a command to type, or a file to
/// choose.
class PythonField : public QWidget {
    Q_OBJECT

public:
    explicit PythonField(QWidget* parent = nullptr);

    QString python() const;
    void set_python(const QString& python);

private:
    void browse();

    QLineEdit* python_;
};

}  // namespace framebridge::ui
