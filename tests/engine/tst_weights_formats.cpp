// Tests of the weight file readers: the restricted unpickler and .pth reader, and safetensors.
// Hostile and corrupt files are built here, byte by byte, rather than stored as fixtures: a
// hand-written pickle says exactly which opcode each case is about.

#include "expect_error.h"
#include "refine/engine/error.h"
#include "shared_material.h"
#include "weights/pth_reader.h"
#include "weights/safetensors.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <cstring>
#include <fstream>

using refine::Error;
using refine::ErrorCode;
using namespace refine::weights;

namespace {

const std::string kGoldenPth = refine::test::sharedPath("fixtures/sr3-reference/tiny_gen.pth").string();

/// Emits pickle opcodes by hand, so a test builds exactly the pickle (hostile or not) it needs.
class Pickle {
public:
    Pickle& op(int code)
    {
        m_bytes += static_cast<char>(code);
        return *this;
    }
    Pickle& raw(const std::string& bytes)
    {
        m_bytes += bytes;
        return *this;
    }
    Pickle& le(uint64_t value, int bytes)
    {
        for (int i = 0; i < bytes; ++i) op(static_cast<int>((value >> (8 * i)) & 0xff));
        return *this;
    }
    Pickle& proto(int version) { return op(0x80).op(version); }
    Pickle& mark() { return op('('); }
    Pickle& global(const std::string& module, const std::string& name)
    {
        return op('c').raw(module + "\n" + name + "\n");
    }
    Pickle& str(const std::string& text) { return op('X').le(text.size(), 4).raw(text); }
    Pickle& shortStr(const std::string& text) { return op(0x8c).le(text.size(), 1).raw(text); }
    Pickle& int4(int value) { return op('J').le(static_cast<uint32_t>(value), 4); }
    Pickle& put(int index) { return op('q').op(index); }
    Pickle& get(int index) { return op('h').op(index); }
    Pickle& orderedDict() { return global("collections", "OrderedDict").op(')').op('R'); }
    Pickle& intTuple(const std::vector<int>& values)
    {
        mark();
        for (int v : values) int4(v);
        return op('t');
    }

    /// One state-dict entry the way torch.save (protocol 2) writes it: key, then
    /// _rebuild_tensor_v2(<storage pid>, offset, size, stride, False, OrderedDict()).
    Pickle& tensorEntry(const std::string& key, const std::string& storageClass, const std::string& storageKey,
        int numel, int offset, const std::vector<int>& sizes, const std::vector<int>& strides)
    {
        str(key).global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().str("storage").global("torch", storageClass).str(storageKey).str("cpu").int4(numel).op('t').op('Q');
        int4(offset).intTuple(sizes).intTuple(strides).op(0x89).orderedDict();
        return op('t').op('R');
    }

    const std::string& bytes() const { return m_bytes; }

private:
    std::string m_bytes;
};

/// Wraps a protocol-2 state-dict body (entries) in OrderedDict() ... SETITEMS, STOP.
std::string stateDict(const Pickle& entries)
{
    Pickle p;
    p.proto(2).orderedDict().mark().raw(entries.bytes()).op('u').op('.');
    return p.bytes();
}

template <class T>
std::string bytesOf(const std::vector<T>& values)
{
    return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

/// Writes a zip with torch.save's layout (<archive>/data.pkl, <archive>/data/<key>, version)
/// using LibTorch's own writer.
void writePth(const std::string& path, const std::string& pickle, const std::map<std::string, std::string>& storages,
    bool withPickle = true)
{
    caffe2::serialize::PyTorchStreamWriter writer(path);
    if (withPickle) writer.writeRecord("data.pkl", pickle.data(), pickle.size());
    for (const auto& [key, bytes] : storages) writer.writeRecord("data/" + key, bytes.data(), bytes.size());
    writer.writeEndOfFile();
}

void writeFile(const std::string& path, const QByteArray& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.constData(), bytes.size());
}

QByteArray readFile(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool bitwiseEqual(const torch::Tensor& a, const torch::Tensor& b)
{
    // An empty tensor may have no data pointer at all, and memcmp must not be given null.
    return a.scalar_type() == b.scalar_type() && a.sizes() == b.sizes() && b.is_contiguous() &&
        (a.nbytes() == 0 || std::memcmp(a.contiguous().data_ptr(), b.data_ptr(), a.nbytes()) == 0);
}

/// JSON written with single quotes, which read better in C++ literals (and which moc parses,
/// unlike raw string literals).
QByteArray quoted(const char* text) { return QByteArray(text).replace('\'', '"'); }

/// A safetensors file from a header text and data bytes; `length` overrides the header length.
QByteArray safetensorsBytes(const QByteArray& header, const QByteArray& data, qint64 length = -1)
{
    QByteArray bytes;
    const quint64 n = length < 0 ? quint64(header.size()) : quint64(length);
    for (int i = 0; i < 8; ++i) bytes += char((n >> (8 * i)) & 0xff);
    return bytes + header + data;
}

}  // namespace

class TestWeightsFormats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }

    // ---- .pth --------------------------------------------------------------------------------

    void goldenCheckpointLoads()
    {
        SKIP_UNLESS_SHARED(kGoldenPth);
        const TensorMap tensors = readPthStateDict(kGoldenPth);
        QCOMPARE(int(tensors.size()), 252);  // 12 diffusion buffers + 240 UNet tensors
        int buffers = 0;
        for (const auto& [name, tensor] : tensors) {
            if (name.rfind("denoise_fn.", 0) != 0) ++buffers;
            QVERIFY(tensor.is_contiguous());
            QCOMPARE(tensor.scalar_type(), torch::kFloat);
        }
        QCOMPARE(buffers, 12);
        const torch::Tensor& betas = tensors.at("betas");
        QCOMPARE(betas.sizes().vec(), std::vector<int64_t>{2000});
        QCOMPARE(betas[0].item<float>(), 1e-6f);
        QCOMPARE(tensors.at("denoise_fn.downs.0.weight").sizes().vec(), (std::vector<int64_t>{16, 6, 3, 3}));
    }

    void goldenConvertsToSafetensors()
    {
        SKIP_UNLESS_SHARED(kGoldenPth);
        const TensorMap tensors = readPthStateDict(kGoldenPth);
        const std::string path = file("tiny_gen.safetensors");
        writeSafetensors(path, tensors, {{"source", "tiny_gen.pth"}});
        const SafetensorsFile reloaded = readSafetensors(path);
        QCOMPARE(reloaded.tensors.size(), tensors.size());
        for (const auto& [name, tensor] : tensors)
            QVERIFY2(bitwiseEqual(tensor, reloaded.tensors.at(name)), name.c_str());
    }

    void pthViewsShareStorage()
    {
        // One storage of 6 floats viewed three ways: whole as 2x3, transposed 3x2, and a strided slice.
        const std::vector<float> values{0, 1, 2, 3, 4, 5};
        Pickle entries;
        entries.tensorEntry("a", "FloatStorage", "0", 6, 0, {2, 3}, {3, 1})
            .tensorEntry("b", "FloatStorage", "0", 6, 0, {3, 2}, {1, 3})
            .tensorEntry("c", "FloatStorage", "0", 6, 1, {2}, {3});
        writePth(file("views.pth"), stateDict(entries), {{"0", bytesOf(values)}});
        const TensorMap t = readPthStateDict(file("views.pth"));
        const torch::Tensor a = torch::tensor(values).reshape({2, 3});
        QVERIFY(torch::equal(t.at("a"), a));
        QVERIFY(torch::equal(t.at("b"), a.t()));
        QVERIFY(t.at("b").is_contiguous());
        QVERIFY(torch::equal(t.at("c"), torch::tensor(std::vector<float>{1, 4})));
    }

    void pthStorageDtypes()
    {
        const std::vector<int64_t> longs{-3, 1LL << 40};
        const std::vector<uint16_t> halves{0x3c00, 0xc000};  // 1.0, -2.0
        const std::vector<uint8_t> bools{1, 0, 7};           // 7 is no valid bool; it must read as true
        Pickle entries;
        entries.tensorEntry("l", "LongStorage", "0", 2, 0, {2}, {1})
            .tensorEntry("h", "HalfStorage", "1", 2, 0, {2}, {1})
            .tensorEntry("b", "BoolStorage", "2", 3, 0, {3}, {1});
        writePth(file("dtypes.pth"), stateDict(entries),
            {{"0", bytesOf(longs)}, {"1", bytesOf(halves)}, {"2", bytesOf(bools)}});
        const TensorMap t = readPthStateDict(file("dtypes.pth"));
        QCOMPARE(t.at("l").scalar_type(), torch::kLong);
        QCOMPARE(t.at("l")[1].item<int64_t>(), int64_t{1} << 40);
        QCOMPARE(t.at("h").scalar_type(), torch::kHalf);
        QCOMPARE(t.at("h").to(torch::kFloat)[1].item<float>(), -2.0f);
        QCOMPARE(t.at("b").scalar_type(), torch::kBool);
        QVERIFY(torch::equal(t.at("b"), torch::tensor(std::vector<uint8_t>{1, 0, 1}).to(torch::kBool)));
    }

    void pthProtocol4Loads()
    {
        // What a newer torch may emit: FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL, LONG1,
        // BINFLOAT, and an nn.Parameter wrapped by _rebuild_parameter.
        Pickle body;
        body.shortStr("collections").op(0x94).shortStr("OrderedDict").op(0x94).op(0x93).op(0x94);  // memo 2
        body.op(')').op('R').op(0x94).mark();
        body.shortStr("weight").op(0x94);
        body.shortStr("torch._utils").shortStr("_rebuild_parameter").op(0x93);
        body.shortStr("torch._utils").shortStr("_rebuild_tensor_v2").op(0x93).mark();
        body.mark().shortStr("storage").shortStr("torch").shortStr("FloatStorage").op(0x93);
        body.shortStr("0").shortStr("cuda:0").op(0x8a).le(1, 1).le(4, 1).op('t').op('Q');  // numel 4 as LONG1
        body.op('K').op(0).op('K').op(2).op('K').op(2).op(0x86).op('K').op(2).op('K').op(1).op(0x86);
        body.op(0x89).get(2).op(')').op('R').op('t').op('R');   // the tensor
        body.op(0x88).get(2).op(')').op('R').op(0x87).op('R');  // _rebuild_parameter(tensor, True, {})
        body.op('u');
        body.op('}').shortStr("_metadata").get(2).op(')').op('R').mark().shortStr("").op('}');
        body.shortStr("version").op('G').raw(std::string("\x3f\xf0\0\0\0\0\0\0", 8)).op('s');  // 1.0
        body.op('u').op('s').op('b').op('.');
        Pickle pickle;
        pickle.proto(4).op(0x95).le(body.bytes().size(), 8).raw(body.bytes());
        writePth(file("p4.pth"), pickle.bytes(), {{"0", bytesOf(std::vector<float>{1, 2, 3, 4})}});
        const TensorMap t = readPthStateDict(file("p4.pth"));
        QCOMPARE(int(t.size()), 1);
        QVERIFY(torch::equal(t.at("weight"), torch::tensor(std::vector<float>{1, 2, 3, 4}).reshape({2, 2})));
    }

    void pthMissingFileIsIo() { VERIFY_ERROR(readPthStateDict(file("absent.pth")), ErrorCode::Io, {"absent.pth"}); }

    void pthTruncatedZip()
    {
        SKIP_UNLESS_SHARED(kGoldenPth);
        const QByteArray golden = readFile(kGoldenPth);
        QVERIFY(!golden.isEmpty());
        for (const int size : {0, 3, 100, int(golden.size() / 2), int(golden.size() - 10)}) {
            writeFile(file("cut.pth"), golden.left(size));
            const QString problem =
                refine::test::errorMismatch([&] { readPthStateDict(file("cut.pth")); }, ErrorCode::BadModel, {"cut.pth"});
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("at %1 bytes: ").arg(size) + problem));
        }
    }

    void pthMissingDataPkl()
    {
        writePth(file("nopkl.pth"), {}, {{"0", bytesOf(std::vector<float>{1})}}, /*withPickle=*/false);
        VERIFY_ERROR(readPthStateDict(file("nopkl.pth")), ErrorCode::BadModel, {"nopkl.pth", "data.pkl"});
    }

    void pthStorageShorterThanTensor()
    {
        Pickle entries;
        entries.tensorEntry("denoise_fn.downs.0.weight", "FloatStorage", "5", 864, 0, {16, 6, 3, 3}, {54, 9, 3, 1});
        writePth(file("short.pth"), stateDict(entries), {{"5", std::string(1000, '\0')}});
        VERIFY_ERROR(readPthStateDict(file("short.pth")), ErrorCode::BadModel,
            {"short.pth", "'denoise_fn.downs.0.weight'", "3456", "'data/5'", "1000"});
    }

    void pthStorageRecordMissing()
    {
        Pickle entries;
        entries.tensorEntry("w", "FloatStorage", "9", 1, 0, {1}, {1});
        writePth(file("nostorage.pth"), stateDict(entries), {});
        VERIFY_ERROR(readPthStateDict(file("nostorage.pth")), ErrorCode::BadModel, {"'w'", "data/9"});
    }

    void pthViewBeyondStorage()
    {
        Pickle entries;  // a 2x2 view at offset 3 of a 4-element storage
        entries.tensorEntry("w", "FloatStorage", "0", 4, 3, {2, 2}, {2, 1});
        writePth(file("beyond.pth"), stateDict(entries), {{"0", std::string(16, '\0')}});
        VERIFY_ERROR(readPthStateDict(file("beyond.pth")), ErrorCode::BadModel, {"'w'"});
    }

    void pthLegacyFileRejected()
    {
        writeFile(file("old.pth"), QByteArray("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.rest", 19));
        VERIFY_ERROR(readPthStateDict(file("old.pth")), ErrorCode::BadModel,
            {"old.pth", "legacy", "_use_new_zipfile_serialization=True"});
    }

    void pthNonTensorEntryRefused()
    {
        Pickle entries;
        entries.tensorEntry("w", "FloatStorage", "0", 1, 0, {1}, {1}).str("epoch").int4(12);
        writePth(file("ckpt.pth"), stateDict(entries), {{"0", std::string(4, '\0')}});
        VERIFY_ERROR(readPthStateDict(file("ckpt.pth")), ErrorCode::BadModel, {"'epoch'", "not a tensor"});
    }

    void pthRefusesOsSystem()
    {
        Pickle pickle;
        pickle.proto(2).global("os", "system").str("echo pwned").op(0x85).op('R').op('.');
        writePth(file("evil.pth"), pickle.bytes(), {});
        VERIFY_ERROR(readPthStateDict(file("evil.pth")), ErrorCode::BadModel,
            {"evil.pth", "refused", "'os.system'", "malicious"});
    }

    void pthRefusesBuiltinsEval()
    {
        // Hidden after a legitimate entry, as a value inside the state dict.
        Pickle entries;
        entries.tensorEntry("w", "FloatStorage", "0", 1, 0, {1}, {1});
        entries.str("x").global("builtins", "eval").str("__import__('os').system('id')").op(0x85).op('R');
        writePth(file("eval.pth"), stateDict(entries), {{"0", std::string(4, '\0')}});
        VERIFY_ERROR(
            readPthStateDict(file("eval.pth")), ErrorCode::BadModel, {"eval.pth", "refused", "'builtins.eval'"});
    }

    void pthRefusesOtherCode_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("named");
        const auto row = [](const char* name, const Pickle& p, const char* named) {
            QTest::newRow(name) << QByteArray::fromStdString(p.bytes()) << QString::fromLatin1(named);
        };
        row("STACK_GLOBAL posix.system",
            Pickle().proto(4).shortStr("posix").shortStr("system").op(0x93).shortStr("id").op(0x85).op('R').op('.'),
            "'posix.system'");
        row("GLOBAL torch.load", Pickle().proto(2).global("torch", "load"), "'torch.load'");
        row("INST subprocess.Popen", Pickle().proto(2).mark().str("id").op('i').raw("subprocess\nPopen\n"),
            "'subprocess.Popen'");
        row("OBJ", Pickle().proto(2).mark().orderedDict().op('o'), "OBJ");
        row("NEWOBJ", Pickle().proto(2).global("collections", "OrderedDict").op(')').op(0x81), "NEWOBJ");
        row("EXT1", Pickle().proto(2).op(0x82).op(1), "EXT1");
        row("PERSID", Pickle().proto(2).op('P').raw("0\n"), "PERSID");
        row("unknown opcode", Pickle().proto(2).op(0xff), "0xff");
        row("calling a storage class", Pickle().proto(2).global("torch", "FloatStorage").op(')').op('R'),
            "torch.FloatStorage");
    }

    void pthRefusesOtherCode()
    {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, named);
        writePth(file("code.pth"), pickle.toStdString(), {});
        VERIFY_ERROR(readPthStateDict(file("code.pth")), ErrorCode::BadModel, {"code.pth", named});
    }

    void pthHostilePickleStructures_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("reason");
        const auto row = [](const char* name, const Pickle& p, const char* reason) {
            QTest::newRow(name) << QByteArray::fromStdString(p.bytes()) << QString::fromLatin1(reason);
        };
        Pickle deep;
        deep.proto(2).op(')');
        for (int i = 0; i < 200; ++i) deep.op(0x85);
        row("deep nesting", deep.op('.'), "nest deeper");
        row("recursive list", Pickle().proto(2).op(']').put(0).get(0).op('a').op('.'), "recursive");
        row("memo miss", Pickle().proto(2).get(5).op('.'), "memo entry 5");
        row("stack underflow", Pickle().proto(2).op('R'), "stack is empty");
        row("pop across a MARK", Pickle().proto(2).op('N').mark().op(0x85), "stack is empty");
        row("truncated string", Pickle().proto(2).op('X').le(1000000, 4).raw("abc"), "ends early");
        row("no STOP", Pickle().proto(2).op('N'), "ends early");
        row("protocol 9", Pickle().proto(9), "protocol 9");
        row("huge LONG1", Pickle().proto(2).op(0x8a).op(9).raw(std::string(9, '\1')), "64 bits");
        row("list at the top", Pickle().proto(2).op(']').op('.'), "not a state dict");
        row("integer key", Pickle().proto(2).op('}').op('K').op(1).op('K').op(2).op('s').op('.'), "integer key");
        row("bad persistent id", Pickle().proto(2).str("x").op('Q'), "persistent id");
        const Pickle negative = Pickle().tensorEntry("w", "FloatStorage", "0", 4, 0, {-2}, {1});
        row("tensor with a negative size", Pickle().raw(stateDict(negative)), "bad tensor size");
    }

    void pthHostilePickleStructures()
    {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, reason);
        writePth(file("hostile.pth"), pickle.toStdString(), {});
        VERIFY_ERROR(readPthStateDict(file("hostile.pth")), ErrorCode::BadModel, {"hostile.pth", reason});
    }

    // ---- safetensors -------------------------------------------------------------------------

    void safetensorsRoundTrip()
    {
        torch::manual_seed(3);
        const TensorMap tensors{
            {"f32", torch::randn({2, 3})},
            {"f16", torch::randn({4}).to(torch::kHalf)},
            {"bf16", torch::randn({3, 2}).to(torch::kBFloat16)},
            {"i64", torch::tensor(std::vector<int64_t>{-1, 0, int64_t{1} << 50})},
            {"bool", torch::tensor(std::vector<uint8_t>{1, 0, 1}).to(torch::kBool)},
            {"scalar", torch::tensor(2.5, torch::kDouble)},
            {"empty", torch::zeros({0, 3})},
        };
        const std::map<std::string, std::string> metadata{{"format", "pt"}, {"refine.arch", "sr3 \"unet\""}};
        const std::string path = file("round.safetensors");
        writeSafetensors(path, tensors, metadata);

        QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));
        const QByteArray bytes = readFile(path);
        QCOMPARE(qFromLittleEndian<quint64>(bytes.constData()) % 8, quint64(0));

        const SafetensorsFile reloaded = readSafetensors(path);
        QCOMPARE(reloaded.metadata, metadata);
        QCOMPARE(reloaded.tensors.size(), tensors.size());
        for (const auto& [name, tensor] : tensors)
            QVERIFY2(bitwiseEqual(tensor, reloaded.tensors.at(name)), name.c_str());
    }

    void safetensorsWritesViewsContiguous()
    {
        const torch::Tensor base = torch::arange(12, torch::kFloat).reshape({3, 4});
        const std::string path = file("views.safetensors");
        writeSafetensors(path, {{"t", base.t()}, {"slice", base.index({torch::indexing::Slice(), 1})}});
        const SafetensorsFile reloaded = readSafetensors(path);
        QVERIFY(torch::equal(reloaded.tensors.at("t"), base.t()));
        QVERIFY(torch::equal(reloaded.tensors.at("slice"), base.index({torch::indexing::Slice(), 1})));
    }

    void safetensorsWriteFailureLeavesNoFile()
    {
        const std::string path = file("keep.safetensors");
        writeSafetensors(path, {{"a", torch::ones({2})}});
        const QByteArray before = readFile(path);

        VERIFY_ERROR(writeSafetensors(file("no/such/dir/x.safetensors"), {{"a", torch::ones({1})}}), ErrorCode::Io,
            {"x.safetensors"});

        VERIFY_ERROR(
            writeSafetensors(path, {{"__metadata__", torch::ones({1})}}), ErrorCode::InvalidArgument, {"__metadata__"});
        VERIFY_ERROR(writeSafetensors(path, {{"c", torch::ones({1}, torch::kComplexFloat)}}),
            ErrorCode::InvalidArgument, {"'c'"});
        QCOMPARE(readFile(path), before);
        QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));

        writeSafetensors(path, {{"b", torch::zeros({3})}});  // replaces the old file
        QCOMPARE(int(readSafetensors(path).tensors.count("b")), 1);
    }

    void safetensorsMissingFileIsIo()
    {
        VERIFY_ERROR(readSafetensors(file("absent.safetensors")), ErrorCode::Io, {"absent.safetensors"});
    }

    void safetensorsCorruption_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QStringList>("fragments");
        const QByteArray w16 = quoted("{'w':{'dtype':'F32','shape':[4],'data_offsets':[0,16]}}");
        const QByteArray data16(16, '\0');
        const auto entry = [](const char* dtype, const char* shape, const char* offsets) {
            return quoted("{'w':{'dtype':'") + dtype + quoted("','shape':") + shape + quoted(",'data_offsets':") +
                offsets + "}}";
        };
        QTest::newRow("shorter than the length field") << QByteArray("abc") << QStringList{"truncated"};
        QTest::newRow("header length beyond the file")
            << safetensorsBytes(w16, data16, 1000) << QStringList{"header length", "runs past"};
        QTest::newRow("absurd header length")
            << safetensorsBytes(w16, data16, qint64(1) << 62) << QStringList{"runs past"};
        QTest::newRow("bad JSON") << safetensorsBytes(quoted("{'w': {'dtype': "), data16)
                                  << QStringList{"not valid JSON"};
        QTest::newRow("header not an object") << safetensorsBytes("[1, 2]", data16) << QStringList{"not a JSON object"};
        QTest::newRow("deep nesting") << safetensorsBytes(QByteArray(5000, '[') + QByteArray(5000, ']'), {})
                                      << QStringList{"nests too deeply"};
        QTest::newRow("offsets out of range")
            << safetensorsBytes(entry("F32", "[4]", "[0,32]"), data16) << QStringList{"'w'", "data_offsets"};
        QTest::newRow("begin after end") << safetensorsBytes(entry("F32", "[0]", "[8,4]"), data16)
                                         << QStringList{"'w'", "data_offsets"};
        QTest::newRow("size/shape mismatch")
            << safetensorsBytes(entry("F32", "[3]", "[0,16]"), data16) << QStringList{"'w'", "needs 12 bytes", "16"};
        QTest::newRow("shape overflow") << safetensorsBytes(entry("F32", "[4294967296,4294967296]", "[0,16]"), data16)
                                        << QStringList{"'w'", "impossible shape"};
        QTest::newRow("negative dimension")
            << safetensorsBytes(entry("F32", "[-4]", "[0,16]"), data16) << QStringList{"'w'", "shape"};
        QTest::newRow("unknown dtype") << safetensorsBytes(entry("Q7", "[4]", "[0,16]"), data16)
                                       << QStringList{"'w'", "unknown dtype", "Q7"};
        QTest::newRow("missing offsets") << safetensorsBytes(quoted("{'w':{'dtype':'F32','shape':[4]}}"), data16)
                                         << QStringList{"'w'", "data_offsets"};
        QTest::newRow("overlapping offsets")
            << safetensorsBytes(quoted("{'a':{'dtype':'F32','shape':[2],'data_offsets':[0,8]},"
                                       "'b':{'dtype':'F32','shape':[2],'data_offsets':[4,12]}}"),
                   data16)
            << QStringList{"'a'", "'b'", "overlap"};
        QTest::newRow("truncated data") << safetensorsBytes(w16, data16.left(12)) << QStringList{"'w'", "truncated"};
        QTest::newRow("metadata not strings") << safetensorsBytes(quoted("{'__metadata__':{'steps':2000}}"), {})
                                              << QStringList{"__metadata__", "'steps'"};
    }

    void safetensorsCorruption()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, fragments);
        writeFile(file("bad.safetensors"), bytes);
        VERIFY_ERROR(
            readSafetensors(file("bad.safetensors")), ErrorCode::BadModel, QStringList{"bad.safetensors"} + fragments);
    }

private:
    std::string file(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)).toStdString(); }

    QTemporaryDir m_dir;
};

QTEST_APPLESS_MAIN(TestWeightsFormats)
#include "tst_weights_formats.moc"
