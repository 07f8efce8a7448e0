#include "weights/pickle_reader.h"

#include "refine/engine/error.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace refine::weights {
namespace {

// Bounds no real state dict comes near (it needs ~25 values per tensor, nests ~4 deep and keeps a
// stack of a few thousand items), but which keep a hostile pickle from exhausting memory or, through
// the recursive teardown of nested values, the C++ stack.
constexpr size_t kMaxValues = size_t{1} << 21;
constexpr size_t kMaxMemo = size_t{1} << 21;
constexpr size_t kMaxStack = 100000;
constexpr int kMaxDepth = 64;
constexpr size_t kMaxDims = 64;
constexpr size_t kMaxGlobalLine = 256;
constexpr size_t kMaxStorageKey = 64;
constexpr int kMaxProtocol = 5;

// The only globals a state dict needs. Everything else is refused by name.
constexpr const char* kOrderedDict = "collections.OrderedDict";
constexpr const char* kRebuildTensor = "torch._utils._rebuild_tensor_v2";
constexpr const char* kRebuildParameter = "torch._utils._rebuild_parameter";

struct StorageClass {
    const char* name;
    c10::ScalarType dtype;
};
constexpr StorageClass kStorageClasses[] = {
    {"torch.FloatStorage", c10::ScalarType::Float},
    {"torch.HalfStorage", c10::ScalarType::Half},
    {"torch.BFloat16Storage", c10::ScalarType::BFloat16},
    {"torch.DoubleStorage", c10::ScalarType::Double},
    {"torch.LongStorage", c10::ScalarType::Long},
    {"torch.IntStorage", c10::ScalarType::Int},
    {"torch.ShortStorage", c10::ScalarType::Short},
    {"torch.CharStorage", c10::ScalarType::Char},
    {"torch.ByteStorage", c10::ScalarType::Byte},
    {"torch.BoolStorage", c10::ScalarType::Bool},
};

const StorageClass* findStorageClass(const std::string& name)
{
    for (const StorageClass& c : kStorageClasses) {
        if (name == c.name) return &c;
    }
    return nullptr;
}

bool isAllowedGlobal(const std::string& name)
{
    return name == kOrderedDict || name == kRebuildTensor || name == kRebuildParameter ||
        findStorageClass(name) != nullptr;
}

/// Names from the file go into messages; keep them printable and short.
std::string printable(const std::string& text)
{
    constexpr size_t kMaxShown = 120;
    std::string out;
    for (char c : text.substr(0, kMaxShown)) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? '?' : c;
    }
    if (text.size() > kMaxShown) out += "...";
    return out;
}

// Opcodes that build objects the generic way; named in the refusal so a reader of the message
// can tell a hostile file from a corrupt one.
const char* dangerousOpcodeName(uint8_t op)
{
    switch (op) {
    case 'o': return "OBJ";
    case 0x81: return "NEWOBJ";
    case 0x92: return "NEWOBJ_EX";
    case 0x82: return "EXT1";
    case 0x83: return "EXT2";
    case 0x84: return "EXT4";
    case 'P': return "PERSID";
    default: return nullptr;
    }
}

enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Storage, Tensor };

/// The kind with its article, for messages ("an integer", "a list").
const char* describe(Kind kind)
{
    switch (kind) {
    case Kind::None: return "None";
    case Kind::Bool: return "a bool";
    case Kind::Int: return "an integer";
    case Kind::Float: return "a float";
    case Kind::String: return "a string";
    case Kind::Tuple: return "a tuple";
    case Kind::List: return "a list";
    case Kind::Dict: return "a dict";
    case Kind::Global: return "a global";
    case Kind::Storage: return "a storage";
    case Kind::Tensor: return "a tensor";
    }
    return "a value";
}

struct Value;
using ValuePtr = std::shared_ptr<Value>;

/// One unpickled Python value. Only what a state dict needs, so one plain struct suffices.
struct Value {
    Kind kind = Kind::None;
    int64_t integer = 0;                                 // Int; Bool as 0/1
    double real = 0.0;                                   // Float
    std::string text;                                    // String; Global as "module.name"
    std::vector<ValuePtr> items;                         // Tuple, List
    std::vector<std::pair<ValuePtr, ValuePtr>> entries;  // Dict, in insertion order
    std::unique_ptr<TensorRecipe> recipe;                // Tensor; Storage uses recipe->storage
    int depth = 1;        // nesting depth, bounded so destroying the tree cannot overflow the stack
    bool sealed = false;  // placed in a container: may no longer change, so no cycle can form
};

/// Runs the restricted pickle program. One instance per pickle.
class Unpickler {
public:
    Unpickler(const uint8_t* data, size_t size, const std::string& label) : m_data(data), m_size(size), m_label(label)
    {
    }

    ValuePtr run()
    {
        for (;;) {
            m_opcodeAt = m_pos;
            if (!step(readByte())) return pop();
        }
    }

private:
    /// Executes one opcode; false at STOP.
    bool step(uint8_t op)
    {
        switch (op) {
        case 0x80: readProtocol(); break;                                            // PROTO
        case 0x95: skipFrame(); break;                                               // FRAME
        case '.': return false;                                                      // STOP
        case 'N': push(make(Kind::None)); break;                                     // NONE
        case 0x88: push(makeInt(Kind::Bool, 1)); break;                              // NEWTRUE
        case 0x89: push(makeInt(Kind::Bool, 0)); break;                              // NEWFALSE
        case 'K': push(makeInt(Kind::Int, static_cast<int64_t>(readLE(1)))); break;  // BININT1
        case 'M': push(makeInt(Kind::Int, static_cast<int64_t>(readLE(2)))); break;  // BININT2
        case 'J': push(makeInt(Kind::Int, readInt32())); break;                      // BININT
        case 0x8a: push(makeInt(Kind::Int, readLong1())); break;                     // LONG1
        case 'G': push(makeFloat(readBigEndianDouble())); break;                     // BINFLOAT
        case 'X': push(makeString(readBytes(readLE(4)))); break;                     // BINUNICODE
        case 0x8c: push(makeString(readBytes(readLE(1)))); break;                    // SHORT_BINUNICODE
        case '(': mark(); break;                                                     // MARK
        case ')': push(makeTuple({})); break;                                        // EMPTY_TUPLE
        case 't': push(makeTuple(popToMark())); break;                               // TUPLE
        case 0x85: push(makeTuple(popLast(1))); break;                               // TUPLE1
        case 0x86: push(makeTuple(popLast(2))); break;                               // TUPLE2
        case 0x87: push(makeTuple(popLast(3))); break;                               // TUPLE3
        case ']': push(make(Kind::List)); break;                                     // EMPTY_LIST
        case '}': push(make(Kind::Dict)); break;                                     // EMPTY_DICT
        case 'a': appendItems(popLast(1)); break;                                    // APPEND
        case 'e': appendItems(popToMark()); break;                                   // APPENDS
        case 's': setItems(popLast(2)); break;                                       // SETITEM
        case 'u': setItems(popToMark()); break;                                      // SETITEMS
        case 'q': memoPut(readLE(1)); break;                                         // BINPUT
        case 'r': memoPut(readLE(4)); break;                                         // LONG_BINPUT
        case 0x94: memoPut(m_memo.size()); break;                                    // MEMOIZE
        case 'h': push(memoGet(readLE(1))); break;                                   // BINGET
        case 'j': push(memoGet(readLE(4))); break;                                   // LONG_BINGET
        case 'c': push(inlineGlobal()); break;                                       // GLOBAL
        case 0x93: push(stackGlobal()); break;                                       // STACK_GLOBAL
        case 'R': reduce(); break;                                                   // REDUCE
        case 'b': build(); break;                                                    // BUILD
        case 'Q': push(persistentLoad(pop())); break;                                // BINPERSID
        case 'i': refuseInst();                                                      // INST
        default: refuseOpcode(op);
        }
        return true;
    }

    // ---- errors -------------------------------------------------------------------------------

    [[noreturn]] void fail(const std::string& why) const
    {
        throw Error(
            ErrorCode::BadModel, m_label + ": corrupt data.pkl (at byte " + std::to_string(m_opcodeAt) + "): " + why);
    }

    [[noreturn]] void refuseName(const std::string& name) const
    {
        throw Error(ErrorCode::BadModel,
            m_label + ": refused: the pickle references '" + printable(name) +
                "', which a state dict never needs (a malicious file?)");
    }

    /// INST builds an object from an inline class name, which PyTorch never emits; name the class.
    [[noreturn]] void refuseInst()
    {
        const std::string module = readLine();
        const std::string name = readLine();
        refuseName(module + "." + name);
    }

    [[noreturn]] void refuseOpcode(uint8_t op) const
    {
        static const char* kHex = "0123456789abcdef";
        const char* name = dangerousOpcodeName(op);
        const std::string shown = name ? std::string(name) : std::string("0x") + kHex[op >> 4] + kHex[op & 0xf];
        throw Error(ErrorCode::BadModel,
            m_label + ": refused: the pickle uses opcode " + shown + " (at byte " + std::to_string(m_opcodeAt) +
                "), which a state dict never needs (a corrupt or malicious file?)");
    }

    // ---- reading bytes ------------------------------------------------------------------------

    void need(uint64_t n) const
    {
        if (n > m_size - m_pos) fail("the pickle ends early");
    }

    uint8_t readByte()
    {
        need(1);
        return m_data[m_pos++];
    }

    uint64_t readLE(size_t n)
    {
        need(n);
        uint64_t value = 0;
        for (size_t i = 0; i < n; ++i) value |= uint64_t{m_data[m_pos + i]} << (8 * i);
        m_pos += n;
        return value;
    }

    static int64_t toSigned(uint64_t bits)
    {
        int64_t value = 0;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }

    int64_t readInt32()
    {
        const uint64_t bits = readLE(4);
        return (bits & 0x80000000u) ? toSigned(bits | ~uint64_t{0xffffffffu}) : toSigned(bits);
    }

    /// LONG1: a little-endian two's complement integer of up to 255 bytes; we take up to 8.
    int64_t readLong1()
    {
        const size_t n = readByte();
        if (n > 8) fail("an integer wider than 64 bits");
        uint64_t bits = readLE(n);
        if (n > 0 && n < 8 && ((bits >> (8 * n - 1)) & 1) != 0) bits |= ~uint64_t{0} << (8 * n);
        return toSigned(bits);
    }

    double readBigEndianDouble()
    {
        need(8);
        uint64_t bits = 0;
        for (size_t i = 0; i < 8; ++i) bits = (bits << 8) | m_data[m_pos + i];
        m_pos += 8;
        double value = 0.0;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }

    std::string readBytes(uint64_t n)
    {
        need(n);  // before allocating: a hostile length cannot exceed what is there
        std::string text(reinterpret_cast<const char*>(m_data + m_pos), static_cast<size_t>(n));
        m_pos += static_cast<size_t>(n);
        return text;
    }

    std::string readLine()
    {
        std::string line;
        for (;;) {
            const char c = static_cast<char>(readByte());
            if (c == '\n') return line;
            if (line.size() >= kMaxGlobalLine) fail("an overlong GLOBAL name");
            line += c;
        }
    }

    void readProtocol()
    {
        const int protocol = readByte();
        if (protocol < 2 || protocol > kMaxProtocol) {
            fail("pickle protocol " + std::to_string(protocol) + " (PyTorch writes 2)");
        }
    }

    /// FRAME only announces how many bytes follow; the data is read as usual.
    void skipFrame() { need(readLE(8)); }

    // ---- values -------------------------------------------------------------------------------

    ValuePtr make(Kind kind)
    {
        if (++m_valueCount > kMaxValues) fail("more values than any state dict holds");
        auto value = std::make_shared<Value>();
        value->kind = kind;
        return value;
    }

    ValuePtr makeInt(Kind kind, int64_t integer)
    {
        ValuePtr value = make(kind);
        value->integer = integer;
        return value;
    }

    ValuePtr makeFloat(double real)
    {
        ValuePtr value = make(Kind::Float);
        value->real = real;
        return value;
    }

    ValuePtr makeString(std::string text)
    {
        ValuePtr value = make(Kind::String);
        value->text = std::move(text);
        return value;
    }

    ValuePtr makeTuple(std::vector<ValuePtr> items)
    {
        ValuePtr tuple = make(Kind::Tuple);
        for (const ValuePtr& item : items) adopt(*tuple, item);
        tuple->items = std::move(items);
        return tuple;
    }

    /// Records that `child` now lives inside `parent`. Pickle completes every container before it
    /// places it in another, except for recursive structures; refusing to change a placed container
    /// therefore costs no real state dict and makes reference cycles (leaks, endless walks) impossible.
    void adopt(Value& parent, const ValuePtr& child)
    {
        child->sealed = true;
        if (parent.sealed) fail("a container changes after it was placed in another (a recursive structure)");
        parent.depth = std::max(parent.depth, child->depth + 1);
        if (parent.depth > kMaxDepth) fail("values nest deeper than " + std::to_string(kMaxDepth) + " levels");
    }

    // ---- stack, marks and memo ----------------------------------------------------------------

    void push(ValuePtr value)
    {
        if (m_stack.size() >= kMaxStack) fail("the stack grows beyond any state dict's needs");
        m_stack.push_back(std::move(value));
    }

    /// Like Python's unpickler, items pushed before the innermost MARK are out of reach until it is popped.
    size_t stackFloor() const { return m_marks.empty() ? 0 : m_marks.back(); }

    ValuePtr& top()
    {
        if (m_stack.size() <= stackFloor()) fail("the stack is empty");
        return m_stack.back();
    }

    ValuePtr pop()
    {
        ValuePtr value = top();
        m_stack.pop_back();
        return value;
    }

    std::vector<ValuePtr> popLast(size_t n)
    {
        if (m_stack.size() < stackFloor() + n) fail("the stack is empty");
        std::vector<ValuePtr> items(m_stack.end() - static_cast<std::ptrdiff_t>(n), m_stack.end());
        m_stack.resize(m_stack.size() - n);
        return items;
    }

    void mark()
    {
        if (m_marks.size() >= kMaxStack) fail("too many MARKs");
        m_marks.push_back(m_stack.size());
    }

    std::vector<ValuePtr> popToMark()
    {
        if (m_marks.empty()) fail("no MARK to pop to");
        const size_t at = m_marks.back();
        m_marks.pop_back();
        std::vector<ValuePtr> items(m_stack.begin() + static_cast<std::ptrdiff_t>(at), m_stack.end());
        m_stack.resize(at);
        return items;
    }

    void memoPut(uint64_t index)
    {
        if (m_memo.size() >= kMaxMemo && m_memo.count(index) == 0) fail("the memo grows beyond any state dict's needs");
        m_memo[index] = top();
    }

    ValuePtr memoGet(uint64_t index)
    {
        const auto it = m_memo.find(index);
        if (it == m_memo.end()) fail("memo entry " + std::to_string(index) + " was never stored");
        return it->second;
    }

    // ---- containers ---------------------------------------------------------------------------

    void appendItems(const std::vector<ValuePtr>& items)
    {
        Value& list = *top();
        if (list.kind != Kind::List) fail(std::string("APPEND to ") + describe(list.kind));
        for (const ValuePtr& item : items) adopt(list, item);
        list.items.insert(list.items.end(), items.begin(), items.end());
    }

    void setItems(const std::vector<ValuePtr>& keysAndValues)
    {
        if (keysAndValues.size() % 2 != 0) fail("SETITEMS with a key but no value");
        Value& dict = *top();
        if (dict.kind != Kind::Dict) fail(std::string("SETITEM on ") + describe(dict.kind));
        for (size_t i = 0; i < keysAndValues.size(); i += 2) {
            adopt(dict, keysAndValues[i]);
            adopt(dict, keysAndValues[i + 1]);
            dict.entries.emplace_back(keysAndValues[i], keysAndValues[i + 1]);
        }
    }

    /// BUILD sets an object's attributes. PyTorch uses it only to attach `_metadata` (module
    /// versions) to the state dict, which loading does not need, so the state is dropped.
    void build()
    {
        pop();  // the state
        if (top()->kind != Kind::Dict) fail(std::string("BUILD on ") + describe(top()->kind));
    }

    // ---- globals and calls --------------------------------------------------------------------

    ValuePtr makeGlobal(const std::string& module, const std::string& name)
    {
        const std::string full = module + "." + name;
        if (!isAllowedGlobal(full)) refuseName(full);
        ValuePtr global = make(Kind::Global);
        global->text = full;
        return global;
    }

    /// GLOBAL and INST name their global inline, as "module\nname\n".
    ValuePtr inlineGlobal()
    {
        const std::string module = readLine();
        const std::string name = readLine();
        return makeGlobal(module, name);
    }

    ValuePtr stackGlobal()
    {
        const ValuePtr name = pop();
        const ValuePtr module = pop();
        if (module->kind != Kind::String || name->kind != Kind::String) fail("STACK_GLOBAL without two strings");
        return makeGlobal(module->text, name->text);
    }

    void reduce()
    {
        const ValuePtr args = pop();
        const ValuePtr callable = pop();
        if (callable->kind != Kind::Global) fail(std::string("REDUCE calls ") + describe(callable->kind));
        if (args->kind != Kind::Tuple) fail("REDUCE without an argument tuple");
        if (callable->text == kOrderedDict) {
            if (!args->items.empty()) fail("OrderedDict() with arguments");
            push(make(Kind::Dict));
        } else if (callable->text == kRebuildTensor) {
            push(rebuildTensor(*args));
        } else if (callable->text == kRebuildParameter) {
            push(rebuildParameter(*args));
        } else {
            fail("'" + callable->text + "' is called, which a state dict never does");
        }
    }

    /// BINPERSID: ('storage', <storage class>, key, location, numel) names the record data/<key>.
    ValuePtr persistentLoad(const ValuePtr& pid)
    {
        const std::vector<ValuePtr>& f = pid->items;
        if (pid->kind != Kind::Tuple || f.size() != 5 || f[0]->kind != Kind::String || f[0]->text != "storage") {
            fail("a persistent id that is not a storage reference");
        }
        const StorageClass* cls = f[1]->kind == Kind::Global ? findStorageClass(f[1]->text) : nullptr;
        if (!cls) fail("a storage reference without a storage class");
        if (f[2]->kind != Kind::String || !isStorageKey(f[2]->text)) fail("a storage reference with a bad key");
        if (f[3]->kind != Kind::String) fail("a storage reference without a location");
        if (f[4]->kind != Kind::Int || f[4]->integer < 0) fail("a storage reference with a bad size");
        ValuePtr storage = make(Kind::Storage);
        storage->recipe = std::make_unique<TensorRecipe>();
        storage->recipe->storage = StorageRef{f[2]->text, cls->dtype, f[4]->integer};
        return storage;
    }

    static bool isStorageKey(const std::string& key)
    {
        return !key.empty() && key.size() <= kMaxStorageKey && std::all_of(key.begin(), key.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        });
    }

    /// _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]).
    ValuePtr rebuildTensor(const Value& args)
    {
        const std::vector<ValuePtr>& a = args.items;
        if (a.size() != 6 && a.size() != 7) fail("_rebuild_tensor_v2 with " + std::to_string(a.size()) + " arguments");
        if (a[0]->kind != Kind::Storage) fail("_rebuild_tensor_v2 without a storage");
        if (a[1]->kind != Kind::Int || a[1]->integer < 0) fail("_rebuild_tensor_v2 with a bad storage offset");
        if (a[4]->kind != Kind::Bool || a[5]->kind != Kind::Dict) fail("_rebuild_tensor_v2 with bad flags");
        ValuePtr tensor = make(Kind::Tensor);
        tensor->recipe = std::make_unique<TensorRecipe>();
        TensorRecipe& recipe = *tensor->recipe;
        recipe.storage = a[0]->recipe->storage;
        recipe.storageOffset = a[1]->integer;
        recipe.sizes = dimsOf(*a[2], "size");
        recipe.strides = dimsOf(*a[3], "stride");
        if (recipe.sizes.size() != recipe.strides.size()) fail("_rebuild_tensor_v2 with mismatched size and stride");
        return tensor;
    }

    std::vector<int64_t> dimsOf(const Value& tuple, const char* what)
    {
        if (tuple.kind != Kind::Tuple || tuple.items.size() > kMaxDims) fail(std::string("a bad tensor ") + what);
        std::vector<int64_t> dims;
        for (const ValuePtr& item : tuple.items) {
            if (item->kind != Kind::Int || item->integer < 0) fail(std::string("a bad tensor ") + what);
            dims.push_back(item->integer);
        }
        return dims;
    }

    /// _rebuild_parameter(tensor, requires_grad, hooks): an nn.Parameter is just its tensor here.
    ValuePtr rebuildParameter(const Value& args)
    {
        const std::vector<ValuePtr>& a = args.items;
        if (a.size() != 3 || a[0]->kind != Kind::Tensor || a[1]->kind != Kind::Bool || a[2]->kind != Kind::Dict) {
            fail("_rebuild_parameter with bad arguments");
        }
        return a[0];
    }

    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
    size_t m_opcodeAt = 0;
    size_t m_valueCount = 0;
    const std::string& m_label;
    std::vector<ValuePtr> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, ValuePtr> m_memo;
};

/// The unpickled root must be a dict of string keys to tensors.
PickledStateDict toStateDict(const Value& root, const std::string& label)
{
    if (root.kind != Kind::Dict) {
        throw Error(ErrorCode::BadModel,
            label + ": data.pkl holds " + describe(root.kind) + ", not a state dict (a dict of tensors)");
    }
    PickledStateDict result;
    std::unordered_map<std::string, bool> seen;
    for (const auto& [key, value] : root.entries) {
        if (key->kind != Kind::String) {
            throw Error(ErrorCode::BadModel,
                label + ": the state dict has " + describe(key->kind) + " key; a state dict's keys are strings");
        }
        if (value->kind != Kind::Tensor) {
            throw Error(ErrorCode::BadModel,
                label + ": entry '" + printable(key->text) + "' is " + describe(value->kind) +
                    ", not a tensor; a state dict holds only tensors (is this a training "
                    "checkpoint rather than a state dict?)");
        }
        if (!seen.emplace(key->text, true).second) {
            throw Error(ErrorCode::BadModel, label + ": entry '" + printable(key->text) + "' appears twice");
        }
        result.emplace_back(key->text, *value->recipe);
    }
    return result;
}

}  // namespace

PickledStateDict unpickleStateDict(const uint8_t* data, size_t size, const std::string& label)
{
    Unpickler unpickler(data, size, label);
    const ValuePtr root = unpickler.run();
    return toStateDict(*root, label);
}

}  // namespace refine::weights
