using System.Text.Json;

namespace Broadsheet.Export;

/// <summary>
/// Reads an export file front to back, one token or one array item at a time, holding in memory
/// only the item being read (the buffer grows to the largest single record, never to the file).
/// <see cref="Utf8JsonReader"/> works on a span, so each step builds a reader over the bytes in
/// hand from the saved state and asks for more bytes when a token or item runs past them.
/// </summary>
internal sealed class ExportFileReader(Stream stream)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _final;
    private bool _started;
    private JsonReaderState _state;

    /// <summary>Line (1-based) where the bytes read so far end, for messages about the file's content.</summary>
    public long Line { get; private set; } = 1;

    /// <summary>Line (1-based) where the last item read by <see cref="TryReadItem{T}"/> starts.</summary>
    public long ItemLine { get; private set; } = 1;

    /// <summary>The next token; for a property name or string, its text. Returns <see cref="JsonTokenType.None"/> at the end of the file.</summary>
    public JsonTokenType Read(out string? text)
    {
        while (true)
        {
            var reader = Reader();
            if (reader.Read())
            {
                text = reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String ? reader.GetString()
                    : reader.TokenType is JsonTokenType.Number ? System.Text.Encoding.UTF8.GetString(reader.ValueSpan)
                    : null;
                var token = reader.TokenType;
                Commit(ref reader);
                return token;
            }

            if (_final)
            {
                text = null;
                return JsonTokenType.None;
            }

            Fill();
        }
    }

    /// <summary>Reads the next item of the array being read; false at its end.</summary>
    public bool TryReadItem<T>(out T item)
        where T : class
    {
        while (true)
        {
            var reader = Reader();
            if (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    Commit(ref reader);
                    item = null!;
                    return false;
                }

                // Only deserialize once the whole item is in the buffer; otherwise read more and start the item again.
                var probe = reader;
                if (probe.TrySkip())
                {
                    ItemLine = Line + _buffer.AsSpan(_start, (int)reader.TokenStartIndex).Count((byte)'\n');
                    try
                    {
                        item = JsonSerializer.Deserialize<T>(ref reader, ExportFormat.Json)
                            ?? throw new JsonException("Expected a record, found null.", null, 0, null);
                    }
                    catch (JsonException e)
                    {
                        // The serializer reads the item through a reader of its own, so its line counts from the item's first line.
                        throw new JsonException(e.Message, e.Path, ItemLine - 1 + (e.LineNumber ?? 0), e.BytePositionInLine, e);
                    }

                    Commit(ref reader);
                    return true;
                }
            }

            if (_final)
            {
                // The final block always completes or throws; reaching here means the reader stopped on nothing.
                throw new JsonException("The file ends in the middle of a record.", null, Line - 1, null);
            }

            Fill();
        }
    }

    /// <summary>Reads the next value (e.g. a small object) whole.</summary>
    public T ReadValue<T>()
        where T : class
    {
        while (true)
        {
            var reader = Reader();
            var probe = reader;
            if (probe.Read() && probe.TrySkip())
            {
                reader.Read();
                var value = JsonSerializer.Deserialize<T>(ref reader, ExportFormat.Json)
                    ?? throw new JsonException("Expected an object, found null.", null, Line - 1, null);
                Commit(ref reader);
                return value;
            }

            if (_final)
            {
                throw new JsonException("The file ends early.", null, Line - 1, null);
            }

            Fill();
        }
    }

    /// <summary>Whether <paramref name="e"/> was found on the last line of a file whose end has been read: the file was cut short.</summary>
    public bool EndsAt(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return _final && e.LineNumber == Line - 1 + _buffer.AsSpan(_start, _end - _start).Count((byte)'\n');
    }

    private Utf8JsonReader Reader()
    {
        if (!_started)
        {
            _started = true;
            Fill();
            // A byte-order mark from an editor that added one.
            if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                _start = 3;
            }
        }

        return new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        // Utf8JsonReader keeps its line count private (it shows only in its exceptions), so count our own for our messages.
        var consumed = (int)reader.BytesConsumed;
        Line += _buffer.AsSpan(_start, consumed).Count((byte)'\n');
        _start += consumed;
        _state = reader.CurrentState;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _final = true;
        }

        _end += read;
    }
}
