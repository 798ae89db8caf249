using System.Globalization;
using System.Reflection;
using System.Reflection.Emit;
using System.Text;

namespace Osprey.Machine.Jit;

/// <summary>
/// The emitter's pen: forwards to an <see cref="ILGenerator"/> and, for <c>--jit-dump</c>,
/// also writes each operation as text under the guest instruction it came from.
/// </summary>
internal sealed class IlWriter(ILGenerator il, bool listing)
{
    private readonly StringBuilder? _text = listing ? new StringBuilder() : null;
    private readonly Dictionary<int, string> _localNames = new();

    public string Listing => _text?.ToString() ?? "";

    public int Size => il.ILOffset;

    public LocalBuilder Local(Type type, string name)
    {
        LocalBuilder local = il.DeclareLocal(type);
        _localNames[local.LocalIndex] = name;
        return local;
    }

    public Label DefineLabel() => il.DefineLabel();

    public void Mark(Label label)
    {
        il.MarkLabel(label);
        _text?.Append(CultureInfo.InvariantCulture, $"      L{label.Id}:\n");
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
        Line(string.Create(CultureInfo.InvariantCulture, $"{op.Name} {value}"));
    }

    public void Emit(OpCode op, long value)
    {
        il.Emit(op, value);
        Line(string.Create(CultureInfo.InvariantCulture, $"{op.Name} 0x{value:x}"));
    }

    public void Emit(OpCode op, Label label)
    {
        il.Emit(op, label);
        Line($"{op.Name} L{label.Id}");
    }

    public void Emit(OpCode op, LocalBuilder local)
    {
        il.Emit(op, local);
        Line($"{op.Name} {_localNames[local.LocalIndex]}");
    }

    public void Emit(OpCode op, FieldInfo field)
    {
        il.Emit(op, field);
        Line($"{op.Name} {field.DeclaringType!.Name}.{field.Name}");
    }

    public void Emit(OpCode op, MethodInfo method)
    {
        il.Emit(op, method);
        Line($"{op.Name} {method.DeclaringType!.Name}.{method.Name}");
    }

    public void Emit(OpCode op, Type type)
    {
        il.Emit(op, type);
        Line($"{op.Name} {type.Name}");
    }

    private void Line(string text) => _text?.Append("          ").Append(text).Append('\n');
}
