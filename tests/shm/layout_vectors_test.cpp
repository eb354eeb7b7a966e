// The segment vectors (tests/vectors/segment.json), which the Python SDK's test_vectors.py checks
// too: a header and a slot descriptor written through the structs, as the producer writes them,
// must be exactly the vector's bytes, and the structs must read its fields back from them.

#include "framebridge/shm/segment_header_check.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include "support/test_vectors.hpp"

#include <gtest/gtest.h>
#include <array>
#include <cstring>
#include <functional>
#include <map>
#include <new>

using namespace framebridge::shm;
using framebridge::test::field_number;
using framebridge::test::read_vectors;
using framebridge::test::vector_bytes;
using framebridge::test::vector_fields;
using framebridge::test::VectorFields;
using framebridge::test::VectorTree;

namespace {

template <typename Field>
void assign(Field& field, std::uint64_t value) {
    field = static_cast<Field>(value);
}

void assign(SharedU64& field, std::uint64_t value) {
    field.store(value);
}

template <typename Field>
std::uint64_t value_of(const Field& field) {
    return static_cast<std::uint64_t>(field);
}

std::uint64_t value_of(const SharedU64& field) {
    return field.load();
}

template <typename Struct>
struct Field {
    const char* name;
    std::function<void(Struct&, std::uint64_t)> write;
    std::function<std::uint64_t(const Struct&)> read;
};

// clang-format off
#define FIELD(Struct, member)                                              \
    Field<Struct>{#member,                                                 \
                  [](Struct& s, std::uint64_t v) { assign(s.member, v); }, \
                  [](const Struct& s) { return value_of(s.member); }}
// clang-format on

const std::vector<Field<SegmentHeader>> HEADER_FIELDS{
    FIELD(SegmentHeader, magic),           FIELD(SegmentHeader, layout_version),
    FIELD(SegmentHeader, header_size),     FIELD(SegmentHeader, slot_count),
    FIELD(SegmentHeader, descriptor_size), FIELD(SegmentHeader, descriptor_offset),
    FIELD(SegmentHeader, slot_capacity),   FIELD(SegmentHeader, data_offset),
    FIELD(SegmentHeader, segment_size),    FIELD(SegmentHeader, session_id),
    FIELD(SegmentHeader, created_unix_ns), FIELD(SegmentHeader, producer_pid),
    FIELD(SegmentHeader, newest_seq),      FIELD(SegmentHeader, grant_offset),
    FIELD(SegmentHeader, grant_cells)};

const std::vector<Field<SlotDescriptor>> DESCRIPTOR_FIELDS{
    FIELD(SlotDescriptor, sequence),     FIELD(SlotDescriptor, width),
    FIELD(SlotDescriptor, height),       FIELD(SlotDescriptor, stride),
    FIELD(SlotDescriptor, pixel_format), FIELD(SlotDescriptor, payload_size),
    FIELD(SlotDescriptor, capture_ns),   FIELD(SlotDescriptor, publish_ns),
    FIELD(SlotDescriptor, source_seq)};

#undef FIELD

const VectorTree& vector(const std::string& part) {
    static const VectorTree tree = read_vectors("segment.json");
    return tree.get_child(part);
}

// Memory as the segment holds it: zeroed, aligned, the struct living in it.
template <typename Struct>
struct Block {
    alignas(64) std::array<std::uint8_t, sizeof(Struct)> bytes{};
    Struct& as_struct() { return *std::launder(reinterpret_cast<Struct*>(bytes.data())); }
};

template <typename Struct>
std::vector<std::uint8_t> written(const std::vector<Field<Struct>>& fields,
                                  const VectorFields& values,
                                  const std::function<void(Struct&)>& also = nullptr) {
    Block<Struct> block;
    Struct& sut = *new (block.bytes.data()) Struct{};
    EXPECT_EQ(fields.size(), values.size());
    for (const Field<Struct>& field : fields) {
        field.write(sut, field_number(values, field.name));
    }
    if (also) {
        also(sut);
    }
    return {block.bytes.begin(), block.bytes.end()};
}

// The descriptor vector's metadata, by key name: the keys it reports and their values.
std::map<std::string, double> vector_metadata() {
    std::map<std::string, double> metadata;
    for (const auto& [name, value] : vector("descriptor").get_child("metadata")) {
        metadata[name] = std::stod(value.data());
    }
    return metadata;
}

MetadataKey key_named(const std::string& name) {
    for (std::uint32_t k = 0; k < METADATA_KEYS; ++k) {
        if (name == to_string(static_cast<MetadataKey>(k))) {
            return static_cast<MetadataKey>(k);
        }
    }
    ADD_FAILURE() << "no metadata key is named " << name;
    return MetadataKey::Exposure;
}

template <typename Struct>
VectorFields read_back(const std::vector<Field<Struct>>& fields,
                       const std::vector<std::uint8_t>& bytes) {
    Block<Struct> block;
    EXPECT_EQ(bytes.size(), block.bytes.size());
    std::memcpy(block.bytes.data(), bytes.data(), std::min(bytes.size(), block.bytes.size()));
    VectorFields values;
    for (const Field<Struct>& field : fields) {
        values[field.name] = std::to_string(field.read(block.as_struct()));
    }
    return values;
}

}  // namespace

TEST(LayoutVectors, theHeaderWrittenThroughItsStructIsTheVectorsBytes) {
    EXPECT_EQ(written(HEADER_FIELDS, vector_fields(vector("header"))),
              vector_bytes(vector("header")));
}

TEST(LayoutVectors, theHeaderStructReadsTheVectorsFieldsFromItsBytes) {
    EXPECT_EQ(read_back(HEADER_FIELDS, vector_bytes(vector("header"))),
              vector_fields(vector("header")));
}

TEST(LayoutVectors, theVectorsHeaderPassesTheHeaderCheck) {
    const std::vector<std::uint8_t> bytes = vector_bytes(vector("header"));
    const auto size = field_number(vector_fields(vector("header")), "segment_size");
    EXPECT_EQ(check_header(reinterpret_cast<const std::byte*>(bytes.data()), size), "");
}

TEST(LayoutVectors, aDescriptorWrittenThroughItsStructIsTheVectorsBytes) {
    const auto set_metadata = [](SlotDescriptor& d) {
        for (const auto& [name, value] : vector_metadata()) {
            d.metadata.set(key_named(name), value);
        }
    };
    EXPECT_EQ(written<SlotDescriptor>(DESCRIPTOR_FIELDS, vector_fields(vector("descriptor")),
                                      set_metadata),
              vector_bytes(vector("descriptor")));
}

TEST(LayoutVectors, theDescriptorStructReadsTheVectorsMetadataAndNoOtherKey) {
    Block<SlotDescriptor> block;
    const std::vector<std::uint8_t> bytes = vector_bytes(vector("descriptor"));
    ASSERT_EQ(bytes.size(), block.bytes.size());
    std::memcpy(block.bytes.data(), bytes.data(), bytes.size());
    std::map<std::string, double> reported;
    for (std::uint32_t k = 0; k < METADATA_KEYS; ++k) {
        const auto key = static_cast<MetadataKey>(k);
        if (const auto value = block.as_struct().metadata.get(key)) {
            reported[to_string(key)] = *value;
        }
    }
    EXPECT_EQ(reported, vector_metadata());
}

TEST(LayoutVectors, theDescriptorStructReadsTheVectorsFieldsFromItsBytes) {
    EXPECT_EQ(read_back(DESCRIPTOR_FIELDS, vector_bytes(vector("descriptor"))),
              vector_fields(vector("descriptor")));
}
