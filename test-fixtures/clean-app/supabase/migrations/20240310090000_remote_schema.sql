

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;


CREATE OR REPLACE FUNCTION "public"."clinic_patient_count"("p_clinic_id" "uuid") RETURNS bigint
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
  select count(*)
  from public.patients p
  where p.clinic_id = p_clinic_id
    and public.is_clinic_member(p_clinic_id);
$$;


ALTER FUNCTION "public"."clinic_patient_count"("p_clinic_id" "uuid") OWNER TO "postgres";


COMMENT ON FUNCTION "public"."clinic_patient_count"("p_clinic_id" "uuid") IS 'Total de pacientes da clínica (zero para quem não é membro).';


CREATE OR REPLACE FUNCTION "public"."touch_updated_at"() RETURNS "trigger"
    LANGUAGE "plpgsql"
    AS $$
begin
  new.updated_at := now();
  return new;
end;
$$;


ALTER FUNCTION "public"."touch_updated_at"() OWNER TO "postgres";

SET default_tablespace = '';

SET default_table_access_method = "heap";


CREATE TABLE IF NOT EXISTS "public"."appointment_notes" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "clinic_id" "uuid" NOT NULL,
    "appointment_id" "uuid" NOT NULL,
    "author_id" "uuid" NOT NULL,
    "evolucao" "text" NOT NULL,
    "created_at" timestamp with time zone DEFAULT "now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "now"() NOT NULL
);


ALTER TABLE "public"."appointment_notes" OWNER TO "postgres";


COMMENT ON TABLE "public"."appointment_notes" IS 'Evolução clínica registrada pelo dentista em cada consulta.';



ALTER TABLE ONLY "public"."appointment_notes"
    ADD CONSTRAINT "appointment_notes_pkey" PRIMARY KEY ("id");



CREATE INDEX "appointment_notes_clinic_id_idx" ON "public"."appointment_notes" USING "btree" ("clinic_id");



CREATE OR REPLACE TRIGGER "appointment_notes_touch_updated_at" BEFORE UPDATE ON "public"."appointment_notes" FOR EACH ROW EXECUTE FUNCTION "public"."touch_updated_at"();



ALTER TABLE ONLY "public"."appointment_notes"
    ADD CONSTRAINT "appointment_notes_appointment_id_fkey" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE CASCADE;



ALTER TABLE ONLY "public"."appointment_notes"
    ADD CONSTRAINT "appointment_notes_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "auth"."users"("id");



ALTER TABLE ONLY "public"."appointment_notes"
    ADD CONSTRAINT "appointment_notes_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE CASCADE;



CREATE POLICY "members read clinic notes" ON "public"."appointment_notes" FOR SELECT TO "authenticated" USING ("public"."is_clinic_member"("clinic_id"));



CREATE POLICY "members write clinic notes" ON "public"."appointment_notes" FOR INSERT TO "authenticated" WITH CHECK (("public"."is_clinic_member"("clinic_id") AND ("author_id" = ( SELECT "auth"."uid"() AS "uid"))));



ALTER TABLE "public"."appointment_notes" ENABLE ROW LEVEL SECURITY;


GRANT USAGE ON SCHEMA "public" TO "postgres";
GRANT USAGE ON SCHEMA "public" TO "anon";
GRANT USAGE ON SCHEMA "public" TO "authenticated";
GRANT USAGE ON SCHEMA "public" TO "service_role";



REVOKE ALL ON FUNCTION "public"."clinic_patient_count"("p_clinic_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "public"."clinic_patient_count"("p_clinic_id" "uuid") TO "authenticated";
GRANT ALL ON FUNCTION "public"."clinic_patient_count"("p_clinic_id" "uuid") TO "service_role";



GRANT ALL ON FUNCTION "public"."touch_updated_at"() TO "anon";
GRANT ALL ON FUNCTION "public"."touch_updated_at"() TO "authenticated";
GRANT ALL ON FUNCTION "public"."touch_updated_at"() TO "service_role";



GRANT ALL ON TABLE "public"."appointment_notes" TO "anon";
GRANT ALL ON TABLE "public"."appointment_notes" TO "authenticated";
GRANT ALL ON TABLE "public"."appointment_notes" TO "service_role";



RESET ALL;
