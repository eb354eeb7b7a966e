#pragma once
// The checked-in test vectors (tests/vectors/*.json), which the Python SDK's tests read too:
// each one is some fields and the exact bytes they are on the wire or in the segment.

// property_tree includes boost/bind.hpp, which otherwise prints a deprecation note.
#define BOOST_BIND_GLOBAL_PLACEHOLDERS
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace framebridge::test {

using VectorTree = boost::property_tree::ptree;
/// @brief A vector's fields by name, each as its JSON text (numbers in decimal). A list of
/// objects is flattened: `streams.0.width`, `streams.1.name`; an empty list is `streams` = "".
using VectorFields = std::map<std::string, std::string>;

/// @brief tests/vectors/`file`, parsed. Throws boost::property_tree::json_parser_error.
inline VectorTree read_vectors(const std::string& file) {
    VectorTree tree;
    boost::property_tree::read_json(std::string(FRAMEBRIDGE_VECTORS_DIR) + "/" + file, tree);
    return tree;
}

inline void flatten_fields(const VectorTree& tree, const std::string& prefix,
                           VectorFields& fields) {
    std::size_t index = 0;
    for (const auto& [name, value] : tree) {
        // A JSON list's items have empty names in the tree: they are numbered instead.
        const std::string key = prefix + (name.empty() ? std::to_string(index++) : name);
        if (value.empty()) {
            fields[key] = value.data();
        } else {
            flatten_fields(value, key + ".", fields);
        }
    }
}

inline VectorFields vector_fields(const VectorTree& vector) {
    VectorFields fields;
    flatten_fields(vector.get_child("fields"), "", fields);
    return fields;
}

/// @brief The bytes of a vector's hex text; spaces only separate its fields.
inline std::vector<std::uint8_t> vector_bytes(const VectorTree& vector) {
    std::string hex;
    for (const char c : vector.get<std::string>("bytes")) {
        if (c != ' ') {
            hex.push_back(c);
        }
    }
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

/// @brief A field's number; throws std::out_of_range if it is missing.
inline std::uint64_t field_number(const VectorFields& fields, const std::string& name) {
    return std::stoull(fields.at(name));
}

}  // namespace framebridge::test
