#include "widgets/python_field.hpp"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace framebridge::ui {

PythonField::PythonField(QWidget* parent) : QWidget(parent), python_(new QLineEdit) {
    python_->setObjectName("python");
    python_->setToolTip(
        tr("The Python that runs scripts; it needs NumPy (the SDK comes with the app). At first, "
           "the first of /usr/bin/python3 and python3 on PATH that can import numpy."));
    auto* browse = new QPushButton(tr("Choose…"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(python_, 1);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, &PythonField::browse);
}

QString PythonField::python() const {
    return python_->text().trimmed();
}

void PythonField::set_python(const QString& python) {
    python_->setText(python);
}

void PythonField::browse() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a Python interpreter"),
                                                      QFileInfo(python()).absolutePath());
    if (!path.isEmpty()) {
        set_python(path);
    }
}

}  // namespace framebridge::ui
