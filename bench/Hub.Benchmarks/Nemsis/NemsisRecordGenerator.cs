using System.Globalization;
using System.Text;

namespace Hub.Benchmarks.Nemsis;

/// <summary>
/// Generates NEMSIS-shaped EMSDataSet XML in memory: each PCR about 13 KB (times, patient, scene, situation, 5 vital
/// groups, history, exam, medications, procedures, disposition, a narrative), every tenth one an opioid overdose with
/// naloxone. Synthetic values only.
/// </summary>
public static class NemsisRecordGenerator
{
    /// <summary>UTF-8 bytes of one EMSDataSet holding <paramref name="records"/> PCRs.</summary>
    public static byte[] Document(int records)
    {
        var sb = new StringBuilder(records * 13_500 + 1024);
        sb.Append("""
            <?xml version="1.0" encoding="UTF-8"?>
            <EMSDataSet xmlns="http://www.nemsis.org" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.nemsis.org https://nemsis.org/media/nemsis_v3/release-3.5.0/XSDs/NEMSIS_XSDs/EMSDataSet_v3.xsd">
              <Header>
                <DemographicGroup><dAgency.01>501</dAgency.01><dAgency.02>350-501</dAgency.02><dAgency.04>05</dAgency.04></DemographicGroup>

            """);
        for (var i = 0; i < records; i++)
        {
            AppendRecord(sb, i);
        }

        sb.Append("  </Header>\n</EMSDataSet>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Size in bytes of one generated PCR (for the docs).</summary>
    public static int RecordBytes()
    {
        var sb = new StringBuilder();
        AppendRecord(sb, 1);
        return Encoding.UTF8.GetByteCount(sb.ToString());
    }

    private static void AppendRecord(StringBuilder sb, int i)
    {
        var n = i.ToString("D8", CultureInfo.InvariantCulture);
        var overdose = i % 10 == 0;
        sb.Append(CultureInfo.InvariantCulture, $"""
                <PatientCareReport UUID="6f26e60e-cc8a-4543-a528-{n}abcd">
                  <eRecord><eRecord.01>PCR-{n}</eRecord.01><eRecord.SoftwareApplicationGroup><eRecord.02>Synthetic Vendor</eRecord.02><eRecord.03>Bench ePCR</eRecord.03><eRecord.04>3.5.0.250403CP5</eRecord.04></eRecord.SoftwareApplicationGroup></eRecord>
                  <eResponse><eResponse.AgencyGroup><eResponse.01>350-501</eResponse.01><eResponse.02>Synthetic County EMS</eResponse.02></eResponse.AgencyGroup><eResponse.03>INC-{n}</eResponse.03><eResponse.04>RSP-{n}</eResponse.04><eResponse.ServiceGroup><eResponse.05>2205001</eResponse.05></eResponse.ServiceGroup><eResponse.07>2207015</eResponse.07><eResponse.08>2208009</eResponse.08><eResponse.09>2209011</eResponse.09><eResponse.10>2210017</eResponse.10><eResponse.11 xsi:nil="true" NV="7701001"/><eResponse.12>2212015</eResponse.12><eResponse.13>501.183</eResponse.13><eResponse.14>GA 11</eResponse.14><eResponse.23>2223001</eResponse.23><eResponse.24>2224017</eResponse.24></eResponse>
                  <eDispatch><eDispatch.01>{(overdose ? "2301053" : "2301069")}</eDispatch.01><eDispatch.02>2302003</eDispatch.02></eDispatch>
                  <eCrew><eCrew.CrewGroup><eCrew.01>P{n}</eCrew.01><eCrew.02>9925007</eCrew.02><eCrew.03>2403011</eCrew.03></eCrew.CrewGroup><eCrew.CrewGroup><eCrew.01>E{n}</eCrew.01><eCrew.02>9925005</eCrew.02><eCrew.03>2403003</eCrew.03></eCrew.CrewGroup></eCrew>
                  <eTimes><eTimes.01>2025-10-07T22:18:01-05:00</eTimes.01><eTimes.02>2025-10-07T22:19:00-05:00</eTimes.02><eTimes.03>2025-10-07T22:22:17-05:00</eTimes.03><eTimes.05>2025-10-07T22:24:20-05:00</eTimes.05><eTimes.06>2025-10-07T22:29:48-05:00</eTimes.06><eTimes.07>2025-10-07T22:30:31-05:00</eTimes.07><eTimes.09>2025-10-07T22:55:06-05:00</eTimes.09><eTimes.11 xsi:nil="true" NV="7701001"/><eTimes.12 xsi:nil="true" NV="7701001"/><eTimes.13>2025-10-07T23:00:20-05:00</eTimes.13></eTimes>
                  <ePatient><ePatient.01>MRN{n}</ePatient.01><ePatient.PatientNameGroup><ePatient.02>Lastname{i % 997}</ePatient.02><ePatient.03>Firstname{i % 491}</ePatient.03><ePatient.04>Q</ePatient.04></ePatient.PatientNameGroup><ePatient.05>{100 + (i % 9000)} Synthetic Street</ePatient.05><ePatient.06>2405463</ePatient.06><ePatient.07>22017</ePatient.07><ePatient.08>22</ePatient.08><ePatient.09>71107</ePatient.09><ePatient.10>US</ePatient.10><ePatient.11>22017020500</ePatient.11><ePatient.13>9906003</ePatient.13><ePatient.14>2514011</ePatient.14><ePatient.AgeGroup><ePatient.15>{18 + (i % 70)}</ePatient.15><ePatient.16>2516009</ePatient.16></ePatient.AgeGroup><ePatient.17>1990-12-09</ePatient.17><ePatient.18 PhoneNumberType="9913009">555-010-{i % 10000:D4}</ePatient.18><ePatient.20>22</ePatient.20><ePatient.21>386414</ePatient.21><ePatient.25>9919003</ePatient.25></ePatient>
                  <ePayment><ePayment.01>2601007</ePayment.01><ePayment.50>2650001</ePayment.50></ePayment>
                  <eScene><eScene.01 xsi:nil="true" NV="7701001"/><eScene.06>2707005</eScene.06><eScene.07>9923001</eScene.07><eScene.08 xsi:nil="true" NV="7701001"/><eScene.09>Y92.0</eScene.09><eScene.10 xsi:nil="true" NV="7701001"/><eScene.11>33.440,-93.973</eScene.11><eScene.12>15SVT09550049</eScene.12><eScene.15>5709 Capitol Hill Road</eScene.15><eScene.17>2405580</eScene.17><eScene.18>05</eScene.18><eScene.19>71854</eScene.19><eScene.21>05091</eScene.21><eScene.22>US</eScene.22><eScene.23>05091020900</eScene.23></eScene>
                  <eSituation><eSituation.01>2025-10-07T21:58:35-05:00</eSituation.01><eSituation.02>9922001</eSituation.02><eSituation.07>2807011</eSituation.07><eSituation.08>2808005</eSituation.08><eSituation.09>R40.20</eSituation.09><eSituation.10>R06</eSituation.10><eSituation.10 PN="8801031">R11.2</eSituation.10><eSituation.11>{(overdose ? "T40.1X1A" : "S79.91")}</eSituation.11><eSituation.12 xsi:nil="true" NV="7701003"/><eSituation.13>2813003</eSituation.13><eSituation.18>2025-10-07T21:00:00-05:00</eSituation.18><eSituation.20 xsi:nil="true" NV="7701001"/></eSituation>
                  <eInjury><eInjury.01 xsi:nil="true" NV="7701001"/><eInjury.03 xsi:nil="true" NV="7701001"/><eInjury.04 xsi:nil="true" NV="7701001"/></eInjury>
                  <eArrest><eArrest.01>3001001</eArrest.01><eArrest.02 xsi:nil="true" NV="7701001"/><eArrest.03 xsi:nil="true" NV="7701001"/><eArrest.04 xsi:nil="true" NV="7701001"/><eArrest.07 xsi:nil="true" NV="7701001"/><eArrest.09 xsi:nil="true" NV="7701001"/><eArrest.11 xsi:nil="true" NV="7701001"/><eArrest.12 xsi:nil="true" NV="7701001"/><eArrest.14 xsi:nil="true" NV="7701001"/><eArrest.16 xsi:nil="true" NV="7701001"/><eArrest.17 xsi:nil="true" NV="7701001"/><eArrest.18 xsi:nil="true" NV="7701001"/></eArrest>
                  <eHistory><eHistory.01>3101027</eHistory.01><eHistory.01>3101031</eHistory.01><eHistory.06 xsi:nil="true" PN="8801015"/><eHistory.08>I10</eHistory.08><eHistory.08>E11.9</eHistory.08><eHistory.17>3117003</eHistory.17></eHistory>

            """);
        for (var v = 0; v < 5; v++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"""
                      <eVitals><eVitals.VitalGroup><eVitals.01>2025-10-07T22:3{v}:00-05:00</eVitals.01><eVitals.02>9923001</eVitals.02><eVitals.CardiacRhythmGroup><eVitals.03>9901051</eVitals.03><eVitals.04>3304007</eVitals.04><eVitals.05>3305001</eVitals.05></eVitals.CardiacRhythmGroup><eVitals.BloodPressureGroup><eVitals.06>{100 + v}</eVitals.06><eVitals.07>70</eVitals.07><eVitals.08>3308005</eVitals.08></eVitals.BloodPressureGroup><eVitals.HeartRateGroup><eVitals.10>{60 + v}</eVitals.10><eVitals.11>3311005</eVitals.11></eVitals.HeartRateGroup><eVitals.12>95</eVitals.12><eVitals.14>12</eVitals.14><eVitals.16>38</eVitals.16><eVitals.18>104</eVitals.18><eVitals.GlasgowScoreGroup><eVitals.19>4</eVitals.19><eVitals.20>5</eVitals.20><eVitals.21>6</eVitals.21></eVitals.GlasgowScoreGroup><eVitals.26>3326001</eVitals.26><eVitals.PainScaleGroup><eVitals.27>2</eVitals.27><eVitals.28>3328003</eVitals.28></eVitals.PainScaleGroup><eVitals.StrokeScaleGroup><eVitals.29 xsi:nil="true" PN="8801023"/></eVitals.StrokeScaleGroup></eVitals.VitalGroup></eVitals>

                """);
        }

        sb.Append("""
                  <eExam><eExam.AssessmentGroup><eExam.03>2025-10-07T22:33:00-05:00</eExam.03><eExam.HeadGroup><eExam.09>3509001</eExam.09></eExam.HeadGroup><eExam.ChestGroup><eExam.11>3511001</eExam.11></eExam.ChestGroup><eExam.AbdomenGroup><eExam.13>3513001</eExam.13><eExam.14>3514001</eExam.14></eExam.AbdomenGroup><eExam.EyeGroup><eExam.17>3517001</eExam.17><eExam.18>3518031</eExam.18></eExam.EyeGroup><eExam.MentalStatusGroup><eExam.19>3519005</eExam.19></eExam.MentalStatusGroup></eExam.AssessmentGroup></eExam>
                  <eProtocols><eProtocols.ProtocolGroup><eProtocols.01>9914117</eProtocols.01><eProtocols.02>9915001</eProtocols.02></eProtocols.ProtocolGroup></eProtocols>
                  <eMedications>
                    <eMedications.MedicationGroup><eMedications.01>2025-10-07T22:31:30-05:00</eMedications.01><eMedications.02>9923001</eMedications.02><eMedications.03 CodeType="9924003">7806</eMedications.03><eMedications.04>9927065</eMedications.04><eMedications.DosageGroup><eMedications.05>12</eMedications.05><eMedications.06>3706035</eMedications.06></eMedications.DosageGroup><eMedications.07>9916003</eMedications.07><eMedications.08>3708031</eMedications.08><eMedications.09>7492</eMedications.09><eMedications.10>9905001</eMedications.10><eMedications.11>9918005</eMedications.11></eMedications.MedicationGroup>

            """);
        sb.Append(CultureInfo.InvariantCulture, $"""
                    <eMedications.MedicationGroup><eMedications.01>2025-10-07T22:35:00-05:00</eMedications.01><eMedications.02>9923001</eMedications.02><eMedications.03 CodeType="9924003">{(overdose ? "7242" : "4337")}</eMedications.03><eMedications.04>9927017</eMedications.04><eMedications.DosageGroup><eMedications.05>4</eMedications.05><eMedications.06>3706021</eMedications.06></eMedications.DosageGroup><eMedications.07>9916001</eMedications.07><eMedications.08>3708031</eMedications.08><eMedications.09>86240</eMedications.09><eMedications.10>9905007</eMedications.10><eMedications.11>9918005</eMedications.11></eMedications.MedicationGroup>
                  </eMedications>
                  <eProcedures><eProcedures.ProcedureGroup><eProcedures.01>2025-10-07T22:32:00-05:00</eProcedures.01><eProcedures.02>9923001</eProcedures.02><eProcedures.03>392230005</eProcedures.03><eProcedures.05>1</eProcedures.05><eProcedures.06>9923003</eProcedures.06><eProcedures.07>9916001</eProcedures.07><eProcedures.09>7492</eProcedures.09><eProcedures.10>9905007</eProcedures.10><eProcedures.13>3913001</eProcedures.13></eProcedures.ProcedureGroup></eProcedures>
                  <eNarrative><eNarrative.01>Synthetic narrative {n}: responded to a call, assessed the patient, provided care as documented above, and completed the disposition with the crew. This text is filler of realistic length for a benchmark and describes no real person or event whatsoever; it repeats. Synthetic narrative filler continues here to approximate the length of a typical free-text narrative written by an EMS crew.</eNarrative.01></eNarrative>
                  <eDisposition><eDisposition.DestinationGroup><eDisposition.01 xsi:nil="true" NV="7701001"/><eDisposition.02 xsi:nil="true" NV="7701001"/><eDisposition.05 xsi:nil="true" NV="7701001"/></eDisposition.DestinationGroup><eDisposition.11 xsi:nil="true" NV="7701001"/><eDisposition.IncidentDispositionGroup><eDisposition.27>4227001</eDisposition.27><eDisposition.28>4228001</eDisposition.28><eDisposition.29>4229001</eDisposition.29><eDisposition.30>{(overdose ? "4230009" : "4230001")}</eDisposition.30></eDisposition.IncidentDispositionGroup><eDisposition.16 xsi:nil="true" NV="7701001"/><eDisposition.19>4219005</eDisposition.19></eDisposition>
                  <eOutcome><eOutcome.01 xsi:nil="true" NV="7701003"/><eOutcome.02 xsi:nil="true" NV="7701003"/></eOutcome>
                  <eOther><eOther.05>9923001</eOther.05><eOther.08 xsi:nil="true" NV="7701001"/></eOther>
                </PatientCareReport>

            """);
    }
}
