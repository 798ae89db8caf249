using System.Globalization;
using System.Reflection;
using System.Reflection.Emit;
using System.Text;

namespace Osprey.Machine.Jit;

/// <summary>
/// The emitter's pen: forwards to an <see cref="ILGenerator"/> and, for <c>--jit-dump</c>,
/// also writes each operation as text under the guest instruction it came from. Without a
/// listing nothing is formatted: the text would cost more than the IL (a third of the compile
/// time in coremix, when it was built for every block).
/// </summary>
internal sealed class IlWriter(ILGenerator il, bool listing)
{
    private readonly StringBuilder? _text = listing ? new StringBuilder() : null;
    private readonly Dictionary<int, string> _localNames = new();

    public string Listing => _text?.ToString() ?? "";

    public int Size => il.ILOffset;

    /// <summary>Whether a listing is being written (so a caller need not format text that would be dropped).</summary>
    public bool Lists => _text != null;

    public LocalBuilder Local(Type type, string name)
    {
        LocalBuilder local = il.DeclareLocal(type);
        if (_text != null)
            _localNames[local.LocalIndex] = name;
        return local;
    }

    public Label DefineLabel() => il.DefineLabel();

    public void Mark(Label label)
    {
        il.MarkLabel(label);
        if (_text != null)
            _text.Append(CultureInfo.InvariantCulture, $"      L{label.Id}:\n");
    }

    /// <summary>Starts a section of the listing (a guest instruction, or a named part of the method).</summary>
    public void Section(string heading) => _text?.Append(heading).Append('\n');

    public void Emit(OpCode op)
    {
        il.Emit(op);
        Line(op.Name!);
    }

    public void Emit(OpCode op, int value)
    {
        il.Emit(op, value);
        if (_text != null)
            Line(string.Create(CultureInfo.InvariantCulture, $"{op.Name} {value}"));
    }

    public void Emit(OpCode op, long value)
    {
        il.Emit(op, value);
        if (_text != null)
            Line(string.Create(CultureInfo.InvariantCulture, $"{op.Name} 0x{value:x}"));
    }

    public void Emit(OpCode op, Label label)
    {
        il.Emit(op, label);
        if (_text != null)
            Line($"{op.Name} L{label.Id}");
    }

    public void Emit(OpCode op, LocalBuilder local)
    {
        il.Emit(op, local);
        if (_text != null)
            Line($"{op.Name} {_localNames[local.LocalIndex]}");
    }

    public void Emit(OpCode op, FieldInfo field)
    {
        il.Emit(op, field);
        if (_text != null)
            Line($"{op.Name} {field.DeclaringType!.Name}.{field.Name}");
    }

    public void Emit(OpCode op, MethodInfo method)
    {
        il.Emit(op, method);
        if (_text != null)
            Line($"{op.Name} {method.DeclaringType!.Name}.{method.Name}");
    }

    public void Emit(OpCode op, Type type)
    {
        il.Emit(op, type);
        if (_text != null)
            Line($"{op.Name} {type.Name}");
    }

    private void Line(string text) => _text?.Append("          ").Append(text).Append('\n');
}
