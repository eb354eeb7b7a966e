#pragma once
// One executable holds every ui test class; CTest runs each class as its own test, so the
// classes run in parallel and one failure names its class. A test file ends with
// FRAMEBRIDGE_UI_TEST(ClassName).

#include <QObject>
#include <QString>
#include <QTest>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace framebridge::ui::test {

using TestFactory = std::function<std::unique_ptr<QObject>()>;

/// @brief Every registered test class, by name.
std::map<std::string, TestFactory>& registry();

struct Registration {
    Registration(const char* name, TestFactory factory) {
        registry().emplace(name, std::move(factory));
    }
};

inline QString column(const char* text) {
    return QString(text);
}

template <typename T>
const T& column(const T& value) {
    return value;
}

/// @brief One row of a data-driven test, a value per column; text goes in as QString.
template <typename... Values>
void add_row(const char* name, Values... values) {
    QTestData& row = QTest::newRow(name);
    (row << ... << column(values));
}

}  // namespace framebridge::ui::test

#define FRAMEBRIDGE_UI_TEST(Class)                                         \
    static const framebridge::ui::test::Registration Class##_registration( \
        #Class, [] { return std::make_unique<Class>(); });
