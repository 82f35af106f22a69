using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Schema;
using Hub.Adapters.Feeds;
using Hub.Adapters.Nemsis.Detection;
using Hub.Contracts.Model;

namespace Hub.Adapters.Nemsis;

/// <summary>
/// Walks one EMSDataSet document with a forward-only <see cref="XmlReader"/>, one PatientCareReport at a time: only the
/// current PCR's needed values are held in memory. Every fault becomes an outcome; nothing but cancellation and I/O escapes.
/// </summary>
internal sealed partial class NemsisDocumentScanner : IDisposable
{
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
    private const string MedicationGroup = "eMedications.MedicationGroup";

    private readonly NemsisScanContext context;
    private readonly SourceDocument source;
    private readonly XmlReader reader;
    private readonly IXmlLineInfo lineInfo;
    private readonly string nemsisNs;
    private readonly string xsiNs;
    private readonly string nvName;
    private readonly string pnName;
    private readonly string nilName;
    private readonly string codeTypeName;
    private readonly string medicationGroupName;

    // Element names atomized in the reader's name table, so a lookup is by reference (no string hashing or comparing).
    private readonly FieldTable fields;
    private readonly List<NemsisAbsent> absent = new(64);
    private readonly string[] names;
    private readonly int maxDepth;
    private readonly char[] chunk = new char[4096];
    private readonly StringBuilder text = new();
    private readonly List<(string Message, string Location)> pendingValidation = [];
    private NemsisPcr? current;
    private NemsisMedicationGroup? currentGroup;
    private int pcrIndex;
    private int depth = -1;
    private bool started;
    private bool sectionHasFields;
    private bool finished;

    public NemsisDocumentScanner(NemsisScanContext context, Stream content, SourceDocument source, XmlResolver? documentResolver)
    {
        this.context = context;
        this.source = source;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = documentResolver,
            MaxCharactersInDocument = Math.Max(0, context.Settings.MaxDocumentBytes),
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CheckCharacters = true,
            CloseInput = false,
        };
        if (context.Schemas is { } schemas)
        {
            settings.ValidationType = ValidationType.Schema;
            settings.Schemas = schemas;

            // Never ProcessSchemaLocation or ProcessInlineSchema: xsi:schemaLocation is not fetched.
            settings.ValidationFlags = XmlSchemaValidationFlags.ProcessIdentityConstraints | XmlSchemaValidationFlags.AllowXmlAttributes;
            settings.ValidationEventHandler += OnValidation;
        }

        reader = XmlReader.Create(content, settings);
        lineInfo = (IXmlLineInfo)reader;
        var nameTable = reader.NameTable;
        nemsisNs = nameTable.Add(NemsisFeedReader.Namespace);
        xsiNs = nameTable.Add(XsiNamespace);
        nvName = nameTable.Add("NV");
        pnName = nameTable.Add("PN");
        nilName = nameTable.Add("nil");
        codeTypeName = nameTable.Add("CodeType");
        medicationGroupName = nameTable.Add(MedicationGroup);
        fields = new FieldTable();
        foreach (var (name, field) in FieldNames)
        {
            fields.Add(nameTable.Add(name), field);
        }

        foreach (var section in MappedSections)
        {
            fields.Add(nameTable.Add(section), Field.MappedSection);
        }

        maxDepth = context.Settings.MaxElementDepth;
        names = new string[Math.Max(8, maxDepth) + 2];
    }

    public int RecordsSeen => pcrIndex;

    public void Dispose() => reader.Dispose();

    /// <summary>The next outcome, or false at the end of the document (or after a fault that ends it).</summary>
    public bool TryNext(out RecordOutcome? outcome)
    {
        outcome = null;
        if (finished)
        {
            return false;
        }

        try
        {
            if (!started)
            {
                started = true;
                if (!MoveToRoot(out outcome))
                {
                    finished = true;
                    return outcome is not null;
                }
            }

            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    EnterElement();
                    if (depth == 2
                        && ReferenceEquals(reader.NamespaceURI, nemsisNs)
                        && reader.LocalName == "PatientCareReport"
                        && names[1] == "Header")
                    {
                        outcome = ReadRecord();
                        return true;
                    }

                    if (reader.IsEmptyElement)
                    {
                        depth--;
                    }
                }
                else if (reader.NodeType == XmlNodeType.EndElement)
                {
                    depth--;
                }
            }

            finished = true;
            return EndOfDocument(out outcome);
        }
        catch (XmlException ex)
        {
            return ex.LineNumber > 0
                ? Fault($"malformed XML: {Sanitize(ex.Message)}", ex.LineNumber, ex.LinePosition, out outcome)
                : Fault($"malformed XML: {Sanitize(ex.Message)}", lineInfo.LineNumber, lineInfo.LinePosition, out outcome);
        }
        catch (DecoderFallbackException)
        {
            return Fault("malformed XML: bytes that are not valid in the document's encoding", lineInfo.LineNumber, lineInfo.LinePosition, out outcome);
        }
        catch (NemsisLimitException ex)
        {
            return Fault(ex.Message, lineInfo.LineNumber, lineInfo.LinePosition, out outcome);
        }
    }

    private bool Fault(string reason, int line, int position, out RecordOutcome? outcome)
    {
        finished = true;
        var location = line > 0
            ? $"line {line} position {position}, {CurrentPath()}"
            : "document prolog (before the root element), /";
        context.OnFault(source, line, position, reason.Length > 80 ? reason[..80] : reason);
        outcome = RecordOutcome.Rejected(current?.RecordNumber, reason, location);
        current = null;
        return true;
    }

    private bool MoveToRoot(out RecordOutcome? outcome)
    {
        outcome = null;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            EnterElement();
            if (ReferenceEquals(reader.NamespaceURI, nemsisNs) && reader.LocalName == "EMSDataSet")
            {
                if (reader.IsEmptyElement)
                {
                    return false;
                }

                return true;
            }

            outcome = RecordOutcome.Rejected(
                null,
                $"not a NEMSIS EMSDataSet: the root element is {SafeName(reader.LocalName)} in namespace {SafeName(reader.NamespaceURI)}",
                $"line {lineInfo.LineNumber} position {lineInfo.LinePosition}, /{SafeName(reader.LocalName)}");
            return false;
        }

        outcome = RecordOutcome.Rejected(null, "empty document: no root element", "line 1 position 1, /");
        return false;
    }

    private bool EndOfDocument(out RecordOutcome? outcome)
    {
        outcome = null;
        if (pendingValidation.Count == 0)
        {
            return false;
        }

        context.OnValidationOutsideRecords(source, pendingValidation.Count);
        if (!context.Strict)
        {
            return false;
        }

        var (message, location) = pendingValidation[0];
        outcome = RecordOutcome.Rejected(null, Count(message, pendingValidation.Count), location);
        pendingValidation.Clear();
        return true;
    }

    private string EnterElement()
    {
        // Tracked rather than asked for (reader.Depth): every element and end tag passes through here or a depth-- below.
        depth++;
        if (depth > maxDepth)
        {
            ThrowTooDeep(maxDepth);
        }

        var name = reader.LocalName;
        names[depth] = name;
        return name;
    }

    // Kept out of EnterElement so that stays small enough to inline on the per-element path.
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowTooDeep(int maxDepth) => throw new NemsisLimitException($"element nesting deeper than {maxDepth} levels");

    private RecordOutcome ReadRecord()
    {
        pcrIndex++;
        var pcr = new NemsisPcr
        {
            Index = pcrIndex,
            Line = lineInfo.LineNumber,
            Uuid = reader.GetAttribute("UUID"),
            Absent = absent,
        };
        absent.Clear();
        current = pcr;
        currentGroup = null;
        if (pendingValidation.Count > 0)
        {
            pcr.Validation.AddRange(pendingValidation);
            pendingValidation.Clear();
        }

        if (reader.IsEmptyElement)
        {
            depth--;
        }
        else
        {
            ReadRecordBody(pcr);
        }

        current = null;
        return context.Finish(pcr, source);
    }

    private void ReadRecordBody(NemsisPcr pcr)
    {
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var name = EnterElement();
                    var empty = reader.IsEmptyElement;
                    if (ReferenceEquals(reader.NamespaceURI, nemsisNs))
                    {
                        if (depth == 3)
                        {
                            sectionHasFields = fields.Get(name) == Field.MappedSection;
                        }

                        HandleElement(pcr, name, sectionHasFields);
                    }

                    // HandleElement consumes a leaf's content up to and including its end tag.
                    if (empty || reader.NodeType == XmlNodeType.EndElement)
                    {
                        depth--;
                    }

                    break;
                case XmlNodeType.EndElement:
                    if (depth == 2)
                    {
                        depth = 1;
                        return;
                    }

                    if (currentGroup is not null && ReferenceEquals(reader.LocalName, medicationGroupName))
                    {
                        currentGroup = null;
                    }

                    depth--;
                    break;
            }
        }
    }

    /// <summary>The PCR sections (eVitals, eExam... are not) holding an element the hub maps; NV/PN are still recorded in every section.</summary>
    private static readonly string[] MappedSections =
    [
        "eRecord", "eResponse", "eDispatch", "eTimes", "ePatient", "eScene", "eSituation", "eMedications", "eDisposition", "eArrest", "eNarrative",
    ];

    private void HandleElement(NemsisPcr pcr, string name, bool inMappedSection)
    {
        string? pn = null;
        string? codeType = null;
        if (reader.HasAttributes)
        {
            // One pass over the attributes, names compared by reference (atomized): NV, PN, CodeType unprefixed, xsi:nil.
            string? nv = null;
            var nil = false;
            while (reader.MoveToNextAttribute())
            {
                var local = reader.LocalName;
                if (ReferenceEquals(local, nilName))
                {
                    nil |= ReferenceEquals(reader.NamespaceURI, xsiNs) && reader.Value is "true" or "1";
                }
                else if (reader.Prefix.Length == 0)
                {
                    if (ReferenceEquals(local, nvName))
                    {
                        nv = reader.Value;
                    }
                    else if (ReferenceEquals(local, pnName))
                    {
                        pn = reader.Value;
                    }
                    else if (ReferenceEquals(local, codeTypeName))
                    {
                        codeType = reader.Value;
                    }
                }
            }

            reader.MoveToElement();
            if (nv is not null)
            {
                pcr.Absent.Add(new NemsisAbsent(name, nv, PertinentNegative: false));
            }

            if (pn is not null)
            {
                pcr.Absent.Add(new NemsisAbsent(name, pn, PertinentNegative: true));
            }

            if (nv is not null || nil)
            {
                return;
            }
        }

        if (!inMappedSection)
        {
            return;
        }

        var field = fields.Get(name);
        if (field == Field.None)
        {
            return;
        }

        if (field == Field.MedicationGroup)
        {
            if (!reader.IsEmptyElement)
            {
                currentGroup = new NemsisMedicationGroup();
                pcr.Medications.Add(currentGroup);
            }

            return;
        }

        if (field == Field.MappedSection || (field == Field.Narrative && !context.Feed.KeepNarrative))
        {
            return;
        }

        if (field != Field.MedicationCode)
        {
            codeType = null;
        }

        var value = reader.IsEmptyElement ? "" : ReadLeafText(pcr, name);

        // A PN with a value is a denial ("symptom not present", "medication refused"): kept only where it is marked so.
        if (pn is not null && field is not (Field.Situation or Field.MedicationCode) && pn != "8801029")
        {
            return;
        }

        Assign(pcr, field, name, value, pn, codeType);
    }

    private string ReadLeafText(NemsisPcr pcr, string name)
    {
        var leafDepth = depth;
        var line = lineInfo.LineNumber;
        var position = lineInfo.LinePosition;
        var leaf = new LeafText(context.Settings.MaxValueCharacters);
        while (reader.Read())
        {
            var node = reader.NodeType;
            if (node == XmlNodeType.EndElement && depth == leafDepth)
            {
                break;
            }

            if (node is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace)
            {
                if (reader.CanReadValueChunk)
                {
                    // In chunks, so a huge text node is never materialized whole; a value within one chunk costs one string.
                    int n;
                    while ((n = reader.ReadValueChunk(chunk, 0, chunk.Length)) > 0)
                    {
                        leaf.Add(chunk.AsSpan(0, n), text);
                    }
                }
                else
                {
                    leaf.Add(reader.Value.AsSpan(), text);
                }
            }
            else if (node == XmlNodeType.Element)
            {
                EnterElement();
                if (reader.IsEmptyElement)
                {
                    depth--;
                }
            }
            else if (node == XmlNodeType.EndElement)
            {
                depth--;
            }
        }

        if (leaf.TooLong)
        {
            text.Clear();
            pcr.Fault ??= ($"value of {name} longer than {leaf.Cap} characters", $"line {line} position {position}, {PathOf(leafDepth)}");
            return "";
        }

        return leaf.Result(text);
    }

    /// <summary>The text of one leaf as it arrives in pieces: the first piece kept as a string, more pieces joined, capped.</summary>
    private struct LeafText(int cap)
    {
        private string? first;
        private int pieces;
        private int length;

        public readonly int Cap => cap;

        public bool TooLong { get; private set; }

        public void Add(ReadOnlySpan<char> piece, StringBuilder joined)
        {
            if (TooLong || piece.IsEmpty)
            {
                return;
            }

            if (length + piece.Length > cap)
            {
                TooLong = true;
                first = null;
                joined.Clear();
                return;
            }

            length += piece.Length;
            if (pieces == 0)
            {
                first = new string(piece);
            }
            else
            {
                if (pieces == 1)
                {
                    joined.Clear().Append(first);
                }

                joined.Append(piece);
            }

            pieces++;
        }

        public readonly string Result(StringBuilder joined) => pieces switch
        {
            0 => "",
            1 => first!,
            _ => joined.ToString(),
        };
    }

    private void Assign(NemsisPcr pcr, Field field, string name, string value, string? pn, string? codeType)
    {
        switch (field)
        {
            case Field.RecordNumber: pcr.RecordNumber ??= value; break;
            case Field.AgencyNumber: pcr.AgencyNumber ??= value; break;
            case Field.IncidentNumber: pcr.IncidentNumber ??= value; break;
            case Field.ResponseNumber: pcr.ResponseNumber ??= value; break;
            case Field.DispatchReason: pcr.DispatchReason ??= value; break;
            case Field.PsapCall: pcr.PsapCallTime ??= value; break;
            case Field.UnitNotified: pcr.UnitNotifiedTime ??= value; break;
            case Field.ArrivedOnScene: pcr.ArrivedOnSceneTime ??= value; break;
            case Field.ArrivedAtPatient: pcr.ArrivedAtPatientTime ??= value; break;
            case Field.LastName: pcr.LastName ??= value; break;
            case Field.FirstName: pcr.FirstName ??= value; break;
            case Field.MiddleName: pcr.MiddleName ??= value; break;
            case Field.HomeStreet: pcr.HomeStreet ??= value; break;
            case Field.HomeCity: pcr.HomeCity ??= value; break;
            case Field.HomeCounty: pcr.HomeCounty ??= value; break;
            case Field.HomeState: pcr.HomeState ??= value; break;
            case Field.HomeZip: pcr.HomeZip ??= value; break;
            case Field.Gender: pcr.Gender ??= value; break;
            case Field.Sex: pcr.Sex ??= value; break;
            case Field.Age: pcr.Age ??= value; break;
            case Field.AgeUnits: pcr.AgeUnits ??= value; break;
            case Field.BirthDate: pcr.BirthDate ??= value; break;
            case Field.Phone: pcr.Phone ??= value; break;
            case Field.SceneLocationType: pcr.SceneLocationType ??= value; break;
            case Field.SceneGps: pcr.SceneGps ??= value; break;
            case Field.SceneStreet: pcr.SceneStreet ??= value; break;
            case Field.SceneCity: pcr.SceneCity ??= value; break;
            case Field.SceneState: pcr.SceneState ??= value; break;
            case Field.SceneZip: pcr.SceneZip ??= value; break;
            case Field.SceneCounty: pcr.SceneCounty ??= value; break;
            case Field.SceneTract: pcr.SceneCensusTract ??= value; break;
            case Field.Situation: pcr.Situation.Add(new NemsisValue(name, value, pn)); break;
            case Field.Disposition: pcr.Dispositions.Add(new NemsisValue(name, value, pn)); break;
            case Field.FinalAcuity: pcr.FinalAcuity ??= value; break;
            case Field.CardiacArrest: pcr.CardiacArrest ??= value; break;
            case Field.ArrestOutcome: pcr.ArrestOutcome ??= value; break;
            case Field.Narrative: pcr.Narrative = pcr.Narrative is null ? value : pcr.Narrative + "\n" + value; break;
            default:
                AssignMedication(field, value, pn, codeType);
                break;
        }
    }

    private void AssignMedication(Field field, string value, string? pn, string? codeType)
    {
        if (currentGroup is not { } group)
        {
            return;
        }

        switch (field)
        {
            case Field.MedicationTime: group.Time ??= value; break;
            case Field.MedicationPrior: group.PriorToEms ??= value; break;
            case Field.MedicationCode:
                group.Code ??= value;
                group.CodeType ??= codeType;
                group.CodePertinentNegative ??= pn;
                break;
            case Field.MedicationRoute: group.Route ??= value; break;
            case Field.MedicationDose: group.Dose ??= value; break;
            case Field.MedicationDoseUnit: group.DoseUnit ??= value; break;
            case Field.MedicationResponse: group.Response ??= value; break;
            case Field.MedicationRole: group.Role ??= value; break;
        }
    }

    /// <summary>Every element the hub maps, and to what.</summary>
    private static readonly (string Name, Field Field)[] FieldNames =
    [
        ("eMedications.MedicationGroup", Field.MedicationGroup),
        ("eRecord.01", Field.RecordNumber),
        ("eResponse.01", Field.AgencyNumber),
        ("eResponse.03", Field.IncidentNumber),
        ("eResponse.04", Field.ResponseNumber),
        ("eDispatch.01", Field.DispatchReason),
        ("eTimes.01", Field.PsapCall),
        ("eTimes.03", Field.UnitNotified),
        ("eTimes.06", Field.ArrivedOnScene),
        ("eTimes.07", Field.ArrivedAtPatient),
        ("ePatient.02", Field.LastName),
        ("ePatient.03", Field.FirstName),
        ("ePatient.04", Field.MiddleName),
        ("ePatient.05", Field.HomeStreet),
        ("ePatient.06", Field.HomeCity),
        ("ePatient.07", Field.HomeCounty),
        ("ePatient.08", Field.HomeState),
        ("ePatient.09", Field.HomeZip),
        ("ePatient.13", Field.Gender),
        ("ePatient.25", Field.Sex),
        ("ePatient.15", Field.Age),
        ("ePatient.16", Field.AgeUnits),
        ("ePatient.17", Field.BirthDate),
        ("ePatient.18", Field.Phone),
        ("eScene.09", Field.SceneLocationType),
        ("eScene.11", Field.SceneGps),
        ("eScene.15", Field.SceneStreet),
        ("eScene.17", Field.SceneCity),
        ("eScene.18", Field.SceneState),
        ("eScene.19", Field.SceneZip),
        ("eScene.21", Field.SceneCounty),
        ("eScene.23", Field.SceneTract),
        ("eSituation.09", Field.Situation),
        ("eSituation.10", Field.Situation),
        ("eSituation.11", Field.Situation),
        ("eSituation.12", Field.Situation),
        ("eMedications.01", Field.MedicationTime),
        ("eMedications.02", Field.MedicationPrior),
        ("eMedications.03", Field.MedicationCode),
        ("eMedications.04", Field.MedicationRoute),
        ("eMedications.05", Field.MedicationDose),
        ("eMedications.06", Field.MedicationDoseUnit),
        ("eMedications.07", Field.MedicationResponse),
        ("eMedications.10", Field.MedicationRole),
        ("eDisposition.27", Field.Disposition),
        ("eDisposition.28", Field.Disposition),
        ("eDisposition.29", Field.Disposition),
        ("eDisposition.30", Field.Disposition),
        ("eDisposition.19", Field.FinalAcuity),
        ("eArrest.01", Field.CardiacArrest),
        ("eArrest.18", Field.ArrestOutcome),
        ("eNarrative.01", Field.Narrative),
    ];

    private void OnValidation(object? sender, ValidationEventArgs e)
    {
        if (e.Severity != XmlSeverityType.Error)
        {
            return;
        }

        var line = e.Exception?.LineNumber ?? lineInfo.LineNumber;
        var position = e.Exception?.LinePosition ?? lineInfo.LinePosition;
        var item = ("XSD: " + Sanitize(e.Message), $"line {line} position {position}, {CurrentPath()}");
        if (current is { } pcr)
        {
            pcr.Validation.Add(item);
        }
        else
        {
            pendingValidation.Add(item);
        }
    }

    internal static string Count(string message, int count) => count > 1 ? $"{message} (and {count - 1} more)" : message;

    private string CurrentPath() => PathOf(depth);

    private string PathOf(int toDepth)
    {
        if (toDepth < 0)
        {
            return "/";
        }

        var sb = new StringBuilder();
        for (var i = 0; i <= toDepth && i < names.Length; i++)
        {
            sb.Append('/').Append(SafeName(names[i]));
            if (i == 2 && names[i] == "PatientCareReport" && pcrIndex > 0)
            {
                sb.Append('[').Append(pcrIndex).Append(']');
            }
        }

        return sb.ToString();
    }

    /// <summary>An element name as it may appear in a reject: XML-name shaped and short, else a placeholder.</summary>
    private static string SafeName(string? name) =>
        name is { Length: > 0 and <= 64 } && SafeNameRegex().IsMatch(name) ? name : "?";

    /// <summary>
    /// Removes quoted values from parser and validator messages ("The value '1999-13-09' is invalid..."): only
    /// NEMSIS element names and namespace names stay, so no patient value reaches a reject or a log.
    /// </summary>
    internal static string Sanitize(string message) =>
        QuotedRegex().Replace(message, m => IsSafeToken(m.Groups[1].Value) ? m.Value : "'…'");

    private static bool IsSafeToken(string token)
    {
        foreach (var part in token.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var p = part.StartsWith(NemsisFeedReader.Namespace + ":", StringComparison.Ordinal)
                ? part[(NemsisFeedReader.Namespace.Length + 1)..]
                : part;
            // After the namespace prefix comes a schema name (element or datatype), never a value.
            if (!ReferenceEquals(p, part) && TypeNameRegex().IsMatch(p))
            {
                continue;
            }

            if (p is NemsisFeedReader.Namespace or XsiNamespace or "http://www.w3.org/2001/XMLSchema"
                || StructuralNames.Contains(p)
                || ElementNameRegex().IsMatch(p))
            {
                continue;
            }

            return false;
        }

        return true;
    }

    private static readonly HashSet<string> StructuralNames = new(StringComparer.Ordinal)
    {
        "EMSDataSet", "Header", "PatientCareReport", "DemographicGroup", "UUID", "NV", "PN", "CodeType", "nil",
        "xsi:nil", "CorrelationID", "as", "of",
    };

    [GeneratedRegex("'([^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedRegex();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9._]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeNameRegex();

    [GeneratedRegex(@"^[de][A-Z][A-Za-z]*(\.[A-Za-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ElementNameRegex();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9._:/-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeNameRegex();

    /// <summary>
    /// Open-addressed table from an atomized element name (compared by reference) to its field: cheaper than a Dictionary
    /// with a reference comparer on the per-element path. Names not added (never atomized strings the reader returns) map to None.
    /// </summary>
    private sealed class FieldTable
    {
        private const int Size = 256;
        private readonly string?[] keys = new string?[Size];
        private readonly Field[] values = new Field[Size];

        public void Add(string name, Field field)
        {
            var i = RuntimeHelpers.GetHashCode(name) & (Size - 1);
            while (keys[i] is { } key && !ReferenceEquals(key, name))
            {
                i = (i + 1) & (Size - 1);
            }

            keys[i] = name;
            values[i] = field;
        }

        public Field Get(string name)
        {
            var i = RuntimeHelpers.GetHashCode(name) & (Size - 1);
            while (keys[i] is { } key)
            {
                if (ReferenceEquals(key, name))
                {
                    return values[i];
                }

                i = (i + 1) & (Size - 1);
            }

            return Field.None;
        }
    }

    private enum Field
    {
        None,
        MappedSection,
        MedicationGroup,
        RecordNumber, AgencyNumber, IncidentNumber, ResponseNumber, DispatchReason,
        PsapCall, UnitNotified, ArrivedOnScene, ArrivedAtPatient,
        LastName, FirstName, MiddleName, HomeStreet, HomeCity, HomeCounty, HomeState, HomeZip,
        Gender, Sex, Age, AgeUnits, BirthDate, Phone,
        SceneLocationType, SceneGps, SceneStreet, SceneCity, SceneState, SceneZip, SceneCounty, SceneTract,
        Situation, Disposition, FinalAcuity, CardiacArrest, ArrestOutcome, Narrative,
        MedicationTime, MedicationPrior, MedicationCode, MedicationRoute, MedicationDose, MedicationDoseUnit,
        MedicationResponse, MedicationRole,
    }
}

/// <summary>A configured limit (nesting depth) was exceeded: the document is not read further.</summary>
internal sealed class NemsisLimitException : Exception
{
    public NemsisLimitException() { }

    public NemsisLimitException(string message) : base(message) { }

    public NemsisLimitException(string message, Exception innerException) : base(message, innerException) { }
}
