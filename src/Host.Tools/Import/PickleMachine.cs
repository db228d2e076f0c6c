using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Host.Tools.Import;

/// <summary>
/// A small pickle virtual machine (protocols 0-5, the opcodes <c>torch.save</c> emits and the usual others).
/// Python values map to: None → null, bool, int → long (BigInteger when it does not fit), float → double,
/// str → string, bytes → byte[], tuple → object?[], list/set → List&lt;object?&gt;,
/// dict → OrderedDictionary&lt;object, object?&gt;, globals → <see cref="PythonGlobal"/>; calls (REDUCE/NEWOBJ) go to
/// <c>call</c>, persistent ids to <c>persistentLoad</c>.
/// </summary>
internal sealed class PickleMachine
{
    private readonly byte[] _data;
    private readonly Func<object?, object?> _persistentLoad;
    private readonly Func<PythonGlobal, object?[], object?> _call;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _pos;

    public PickleMachine(byte[] data, Func<object?, object?> persistentLoad, Func<PythonGlobal, object?[], object?> call)
    {
        _data = data;
        _persistentLoad = persistentLoad;
        _call = call;
    }

    /// <summary>Attribute state applied by BUILD to objects that are not <see cref="PythonObject"/> (e.g. an OrderedDict's <c>_metadata</c>).</summary>
    public Dictionary<object, object?> BuildStates { get; } = new(ReferenceEqualityComparer.Instance);

    public object? Load()
    {
        while (true)
        {
            if (_pos >= _data.Length)
            {
                throw new InvalidDataException($"pickle ended at byte {_pos} without a STOP opcode");
            }

            var opPos = _pos;
            var op = _data[_pos++];
            switch (op)
            {
                case 0x80: // PROTO
                    _pos++;
                    break;
                case 0x95: // FRAME
                    _pos += 8;
                    break;
                case (byte)'.': // STOP
                    return Pop();
                case (byte)'(': // MARK
                    _marks.Push(_stack.Count);
                    break;
                case (byte)'0': // POP
                    Pop();
                    break;
                case (byte)'1': // POP_MARK
                    PopMark();
                    break;
                case (byte)'2': // DUP
                    Push(Peek());
                    break;
                case (byte)'N':
                    Push(null);
                    break;
                case 0x88:
                    Push(true);
                    break;
                case 0x89:
                    Push(false);
                    break;
                case (byte)'J': // BININT
                    Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4)));
                    break;
                case (byte)'K': // BININT1
                    Push((long)Take(1)[0]);
                    break;
                case (byte)'M': // BININT2
                    Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)));
                    break;
                case 0x8a: // LONG1
                    Push(ReadLong(Take(1)[0]));
                    break;
                case 0x8b: // LONG4
                    Push(ReadLong(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))));
                    break;
                case (byte)'I': // INT (text)
                    Push(ParseTextInt(ReadLine()));
                    break;
                case (byte)'L': // LONG (text)
                    Push(ParseTextInt(ReadLine().TrimEnd('L')));
                    break;
                case (byte)'F': // FLOAT (text)
                    Push(double.Parse(ReadLine(), System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case (byte)'G': // BINFLOAT, big-endian
                    Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8)));
                    break;
                case (byte)'X': // BINUNICODE
                    Push(Encoding.UTF8.GetString(Take(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Take(4))))));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    Push(Encoding.UTF8.GetString(Take(Take(1)[0])));
                    break;
                case 0x8d: // BINUNICODE8
                    Push(Encoding.UTF8.GetString(Take(checked((int)BinaryPrimitives.ReadUInt64LittleEndian(Take(8))))));
                    break;
                case (byte)'T': // BINSTRING (py2 str)
                    Push(Encoding.Latin1.GetString(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4)))));
                    break;
                case (byte)'U': // SHORT_BINSTRING
                    Push(Encoding.Latin1.GetString(Take(Take(1)[0])));
                    break;
                case (byte)'B': // BINBYTES
                    Push(Take(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))).ToArray());
                    break;
                case (byte)'C': // SHORT_BINBYTES
                    Push(Take(Take(1)[0]).ToArray());
                    break;
                case 0x8e: // BINBYTES8
                    Push(Take(checked((int)BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))).ToArray());
                    break;
                case (byte)')':
                    Push(Array.Empty<object?>());
                    break;
                case (byte)'t':
                    Push(PopMark().ToArray());
                    break;
                case 0x85:
                    Push(new[] { Pop() });
                    break;
                case 0x86:
                {
                    var b = Pop();
                    var a = Pop();
                    Push(new[] { a, b });
                    break;
                }

                case 0x87:
                {
                    var c = Pop();
                    var b = Pop();
                    var a = Pop();
                    Push(new[] { a, b, c });
                    break;
                }

                case (byte)']':
                    Push(new List<object?>());
                    break;
                case (byte)'l':
                    Push(PopMark());
                    break;
                case (byte)'a': // APPEND
                {
                    var item = Pop();
                    AsList(Peek(), opPos).Add(item);
                    break;
                }

                case (byte)'e': // APPENDS
                {
                    var items = PopMark();
                    AsList(Peek(), opPos).AddRange(items);
                    break;
                }

                case 0x8f: // EMPTY_SET
                    Push(new List<object?>());
                    break;
                case 0x90: // ADDITEMS
                {
                    var items = PopMark();
                    AsList(Peek(), opPos).AddRange(items);
                    break;
                }

                case 0x91: // FROZENSET
                    Push(PopMark());
                    break;
                case (byte)'}':
                    Push(new OrderedDictionary<object, object?>());
                    break;
                case (byte)'d': // DICT
                {
                    var items = PopMark();
                    var dict = new OrderedDictionary<object, object?>();
                    for (var i = 0; i + 1 < items.Count; i += 2)
                    {
                        dict[Key(items[i], opPos)] = items[i + 1];
                    }

                    Push(dict);
                    break;
                }

                case (byte)'s': // SETITEM
                {
                    var value = Pop();
                    var key = Pop();
                    AsDict(Peek(), opPos)[Key(key, opPos)] = value;
                    break;
                }

                case (byte)'u': // SETITEMS
                {
                    var items = PopMark();
                    var dict = AsDict(Peek(), opPos);
                    for (var i = 0; i + 1 < items.Count; i += 2)
                    {
                        dict[Key(items[i], opPos)] = items[i + 1];
                    }

                    break;
                }

                case (byte)'c': // GLOBAL
                {
                    var module = ReadLine();
                    var name = ReadLine();
                    Push(new PythonGlobal(module, name));
                    break;
                }

                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop() as string;
                    var module = Pop() as string;
                    if (name is null || module is null)
                    {
                        throw new InvalidDataException($"STACK_GLOBAL at byte {opPos} needs two strings");
                    }

                    Push(new PythonGlobal(module, name));
                    break;
                }

                case (byte)'R': // REDUCE
                {
                    var args = Pop() as object?[] ?? throw new InvalidDataException($"REDUCE at byte {opPos}: arguments are not a tuple");
                    var callable = Pop() as PythonGlobal ?? throw new InvalidDataException($"REDUCE at byte {opPos}: callable is not a global");
                    Push(_call(callable, args));
                    break;
                }

                case 0x81: // NEWOBJ
                {
                    var args = Pop() as object?[] ?? throw new InvalidDataException($"NEWOBJ at byte {opPos}: arguments are not a tuple");
                    var cls = Pop() as PythonGlobal ?? throw new InvalidDataException($"NEWOBJ at byte {opPos}: class is not a global");
                    Push(_call(cls, args));
                    break;
                }

                case 0x92: // NEWOBJ_EX
                {
                    Pop(); // kwargs
                    var args = Pop() as object?[] ?? throw new InvalidDataException($"NEWOBJ_EX at byte {opPos}: arguments are not a tuple");
                    var cls = Pop() as PythonGlobal ?? throw new InvalidDataException($"NEWOBJ_EX at byte {opPos}: class is not a global");
                    Push(_call(cls, args));
                    break;
                }

                case (byte)'b': // BUILD
                {
                    var state = Pop();
                    var target = Peek();
                    if (target is PythonObject obj)
                    {
                        obj.State = state;
                    }
                    else if (target is not null)
                    {
                        BuildStates[target] = state;
                    }

                    break;
                }

                case (byte)'Q': // BINPERSID
                    Push(_persistentLoad(Pop()));
                    break;
                case (byte)'P': // PERSID (text)
                    Push(_persistentLoad(ReadLine()));
                    break;
                case (byte)'h': // BINGET
                    Push(Get(Take(1)[0], opPos));
                    break;
                case (byte)'j': // LONG_BINGET
                    Push(Get(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), opPos));
                    break;
                case (byte)'g': // GET
                    Push(Get(long.Parse(ReadLine(), System.Globalization.CultureInfo.InvariantCulture), opPos));
                    break;
                case (byte)'q': // BINPUT
                    _memo[Take(1)[0]] = Peek();
                    break;
                case (byte)'r': // LONG_BINPUT
                    _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek();
                    break;
                case (byte)'p': // PUT
                    _memo[long.Parse(ReadLine(), System.Globalization.CultureInfo.InvariantCulture)] = Peek();
                    break;
                case 0x94: // MEMOIZE
                    _memo[_memo.Count] = Peek();
                    break;
                default:
                    throw new InvalidDataException($"unsupported pickle opcode 0x{op:x2} at byte {opPos}");
            }
        }
    }

    private static object ParseTextInt(string text)
    {
        if (text == "00")
        {
            return false;
        }

        if (text == "01")
        {
            return true;
        }

        var big = BigInteger.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;
    }

    private static object Key(object? key, int opPos) =>
        key ?? throw new InvalidDataException($"dict key None at byte {opPos} is not supported");

    private static List<object?> AsList(object? target, int opPos) =>
        target as List<object?> ?? throw new InvalidDataException($"append at byte {opPos} to a {target?.GetType().Name ?? "None"}, expected a list");

    private static OrderedDictionary<object, object?> AsDict(object? target, int opPos) =>
        target as OrderedDictionary<object, object?> ?? throw new InvalidDataException($"set item at byte {opPos} on a {target?.GetType().Name ?? "None"}, expected a dict");

    private object ReadLong(int length)
    {
        var bytes = Take(length);
        var big = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;
    }

    private object? Get(long index, int opPos) =>
        _memo.TryGetValue(index, out var value) ? value : throw new InvalidDataException($"memo entry {index} read at byte {opPos} was never stored");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _pos + count > _data.Length)
        {
            throw new InvalidDataException($"pickle truncated: needed {count} bytes at byte {_pos} of {_data.Length}");
        }

        var span = _data.AsSpan(_pos, count);
        _pos += count;
        return span;
    }

    private string ReadLine()
    {
        var end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0)
        {
            throw new InvalidDataException($"pickle truncated: no end of line after byte {_pos}");
        }

        var text = Encoding.UTF8.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return text.TrimEnd('\r');
    }

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw new InvalidDataException($"pickle stack empty at byte {_pos}");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw new InvalidDataException($"pickle has no mark at byte {_pos}");
        }

        var start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }
}
